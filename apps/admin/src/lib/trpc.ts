import type { TRPCLink } from "@trpc/client";
import type { Unsubscribable } from "@trpc/server/observable";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { createTRPCContext } from "@trpc/tanstack-react-query";

import { CSRF_HEADER } from "@runway/contracts";

import type { AppRouter } from "./api-types";
import { SessionManager } from "../auth/session";
import { describeError, errorCode } from "./errors";

const url = "/trpc";
const csrf = { [CSRF_HEADER]: "1" };

/** The console's sign-in procedures: cookie-authenticated, so they carry the CSRF header. */
export const consoleClient = createTRPCClient<AppRouter>({
  links: [httpLink({ url, headers: () => csrf })],
});

export const session = new SessionManager(
  {
    refresh: () => consoleClient.console.refresh.mutate(),
    signOut: () => consoleClient.console.signOut.mutate(),
  },
  errorCode,
);

/** On a 401 (the access token expired or was refused), refresh once and replay the call. */
export function refreshOn401Link(manager: Pick<SessionManager, "refresh">): TRPCLink<AppRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) => {
        let subscription: Unsubscribable | null = null;
        let retried = false;
        const attempt = () => {
          subscription = next(op).subscribe({
            next: (value) => {
              observer.next(value);
            },
            error: (error) => {
              const data: unknown = error.data;
              const status =
                typeof data === "object" && data !== null && "httpStatus" in data
                  ? data.httpStatus
                  : undefined;
              if (retried || status !== 401) {
                observer.error(error);
                return;
              }
              retried = true;
              manager.refresh().then(attempt, () => {
                observer.error(error);
              });
            },
            complete: () => {
              observer.complete();
            },
          });
        };
        attempt();
        return () => subscription?.unsubscribe();
      });
}

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    refreshOn401Link(session),
    httpBatchLink({
      url,
      maxItems: 8,
      headers: async () => ({ ...csrf, authorization: `Bearer ${await session.accessToken()}` }),
    }),
  ],
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      // Client errors will not change on retry; network and 5xx may.
      retry: (failures, error) =>
        failures < 2 &&
        !(error instanceof TRPCClientError && (describeError(error).status ?? 500) < 500),
    },
  },
});

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
