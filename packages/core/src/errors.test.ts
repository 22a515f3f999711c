import { describe, expect, it } from "vitest";

import { AppError } from "./errors";

describe("AppError", () => {
  it("carries no stack frames for a client error, whose stack no one reads", () => {
    const error = new AppError("UNAUTHENTICATED");
    expect(error.stack).toBe("AppError: A valid access token is required");
    expect(error.message).toBe("A valid access token is required");
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error).toBeInstanceOf(Error);
  });

  it("keeps its stack for a server error, where the frames say where it failed", () => {
    const error = new AppError("INTERNAL_ERROR");
    expect(error.stack).toMatch(/^AppError: Something went wrong on our side\n\s+at /);
  });
});
