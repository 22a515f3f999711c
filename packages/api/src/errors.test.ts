import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";

import { ERROR_CODES, ERROR_STATUS } from "@runway/contracts";
import { AppError } from "@runway/core";

import { publicError, toTRPCError } from "./errors";
import { TRPCError } from "./trpc";

describe("error codes on the tRPC surface", () => {
  it("sends every code a procedure can raise with the status the contract gives it", () => {
    for (const code of ERROR_CODES) {
      const status = getHTTPStatusCodeFromError(toTRPCError(new AppError(code)));
      // tRPC has no 426 or 431: those come only from the HTTP layer, never from a procedure.
      expect(status).toBe([426, 431].includes(ERROR_STATUS[code]) ? 500 : ERROR_STATUS[code]);
    }
  });

  it("keeps our code and message through the formatter", () => {
    const error = toTRPCError(new AppError("DEAD_LETTER_CONFLICT", "Retried meanwhile"));
    expect(error.code).toBe("CONFLICT");
    expect(publicError(error)).toEqual({
      code: "DEAD_LETTER_CONFLICT",
      message: "Retried meanwhile",
    });
  });

  it("names tRPC's own refusals by their status, and hides everything else", () => {
    const own = (code: TRPCError["code"], message: string) =>
      publicError(new TRPCError({ code, message }));
    expect(own("PARSE_ERROR", "Unexpected end of JSON")).toEqual({
      code: "BAD_REQUEST",
      message: "Unexpected end of JSON",
    });
    expect(own("METHOD_NOT_SUPPORTED", "Use POST").code).toBe("METHOD_NOT_ALLOWED");
    expect(own("TOO_MANY_REQUESTS", "Slow down").code).toBe("RATE_LIMITED");
    for (const code of ["CONFLICT", "INTERNAL_SERVER_ERROR", "BAD_GATEWAY"] as const) {
      expect(own(code, 'relation "users" does not exist')).toEqual({
        code: "INTERNAL_ERROR",
        message: "Something went wrong on our side",
      });
    }
  });
});
