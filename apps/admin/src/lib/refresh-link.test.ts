import type { TRPCLink } from "@trpc/client";
import { createTRPCClient, TRPCClientError } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { describe, expect, it } from "vitest";

import type { AppRouter } from "./api-types";
import { SessionManager } from "../auth/session";
import { refreshOn401Link } from "./trpc";

/** A fake server: refuses every call made with an old token with 401, answers the rest. */
function fakeServer(currentToken: () => string, sentTokens: string[]): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const token = currentToken();
        sentTokens.push(`${op.path}:${token}`);
        if (token !== "fresh") {
          observer.error(
            new TRPCClientError("A valid access token is required", {
              result: { error: { data: { httpStatus: 401, code: "UNAUTHENTICATED" } } },
            } as never),
          );
          return;
        }
        observer.next({ result: { type: "data", data: { ok: op.path } } } as never);
        observer.complete();
      });
}

describe("refreshOn401Link", () => {
  it("refreshes once for parallel 401s and replays each call with the new token", async () => {
    let token = "expired";
    let refreshes = 0;
    const manager = new SessionManager(
      {
        refresh: async () => {
          refreshes++;
          await new Promise((resolve) => setTimeout(resolve, 10));
          token = "fresh";
          return {
            accessToken: "fresh",
            expiresIn: 900,
            user: {
              id: "6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11",
              email: "admin@example.com",
              displayName: null,
              roles: ["admin"],
              createdAt: "2026-11-26T10:00:00.000Z",
            },
          };
        },
        signOut: () => Promise.resolve(),
      },
      () => undefined,
    );
    const sent: string[] = [];
    const client = createTRPCClient<AppRouter>({
      links: [refreshOn401Link(manager), fakeServer(() => token, sent)],
    });
    const results = await Promise.all([
      client.admin.queue.stats.query(),
      client.admin.metrics.summary.query(),
      client.admin.users.list.query({ limit: 20 }),
    ]);
    expect(results).toHaveLength(3);
    expect(refreshes).toBe(1);
    expect(sent.filter((s) => s.endsWith(":expired"))).toHaveLength(3);
    expect(sent.filter((s) => s.endsWith(":fresh"))).toHaveLength(3);
  });

  it("gives up after one retry and passes the 401 on", async () => {
    const manager = { refresh: () => Promise.resolve("still-bad") };
    const sent: string[] = [];
    const client = createTRPCClient<AppRouter>({
      links: [refreshOn401Link(manager), fakeServer(() => "expired", sent)],
    });
    await expect(client.admin.queue.stats.query()).rejects.toBeInstanceOf(TRPCClientError);
    expect(sent).toHaveLength(2);
  });
});
