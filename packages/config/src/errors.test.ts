import { describe, expect, it, vi } from "vitest";

import { ConfigError, loadOrExit } from "./errors";

class Exited extends Error {}
const exit = (code: number): never => {
  throw new Exited(`exit ${String(code)}`);
};

describe("loadOrExit", () => {
  it("returns what loads", () => {
    expect(loadOrExit(() => 42, exit)).toBe(42);
  });

  it("prints a configuration error as one line and exits 1", () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(() =>
      loadOrExit(() => {
        throw new ConfigError("REDIS_URL is missing");
      }, exit),
    ).toThrow(new Exited("exit 1"));
    expect(stderr).toHaveBeenCalledWith("Refusing to start: REDIS_URL is missing");
    stderr.mockRestore();
  });

  it("lets any other error through", () => {
    expect(() =>
      loadOrExit(() => {
        throw new TypeError("bug");
      }, exit),
    ).toThrow(TypeError);
  });
});
