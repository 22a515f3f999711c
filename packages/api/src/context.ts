import type { Core } from "@runway/core";

/** Per-request context, built by the HTTP layer for both /trpc and /v1. */
export interface Context {
  core: Core;
  requestId: string;
  /** The raw Authorization header; checked only by procedures that need a user. */
  authorization: string | undefined;
}
