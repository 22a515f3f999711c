import { TRPCClientError } from "@trpc/client";

import type { AppRouter } from "./api-types";

export interface ApiErrorView {
  message: string;
  code: string | null;
  requestId: string | null;
  status: number | null;
}

function isAppError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}

/** What an operator needs from a failure: the message, the stable code and the request id. */
export function describeError(error: unknown): ApiErrorView {
  if (isAppError(error)) {
    const data = error.data;
    return {
      message: error.message,
      code: data?.code ?? null,
      requestId: data?.requestId ?? null,
      status: data?.httpStatus ?? null,
    };
  }
  return {
    message: error instanceof Error ? error.message : "Something went wrong",
    code: null,
    requestId: null,
    status: null,
  };
}

export function errorCode(error: unknown): string | undefined {
  return describeError(error).code ?? undefined;
}
