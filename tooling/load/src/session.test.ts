import { describe, expect, it } from "vitest";

import type { Call, Reply } from "./session";
import { AndroidSession } from "./android";
import { Scheduler } from "./scheduler";
import { World } from "./world";

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers,
});
const tokens = (n: number, expiresIn = 30) => ({
  tokens: { accessToken: `access-${String(n)}`, refreshToken: `refresh-${String(n)}`, expiresIn },
});

/** A fake API for one session: answers each call by route, records what was sent. */
function fakeApi(overrides: (call: Call, n: number) => Reply | undefined = () => undefined) {
  const sent: Call[] = [];
  let refreshes = 0;
  const answer = (call: Call): Reply => {
    sent.push(call);
    const custom = overrides(call, sent.length);
    if (custom) return custom;
    if (call.path === "/v1/auth/login" || call.path === "/v1/auth/register")
      return json(200, tokens(0));
    if (call.path === "/v1/auth/refresh") return json(200, tokens(++refreshes));
    if (call.path === "/v1/auth/logout") return { status: 204, body: "", headers: {} };
    if (call.path === "/v1/imports" && call.method === "POST")
      return json(202, { import: { id: "imp-1", status: "queued" } });
    if (call.path === "/v1/imports/imp-1")
      return json(200, {
        import: { id: "imp-1", status: sent.length > 5 ? "completed" : "processing" },
      });
    if (call.path.startsWith("/v1/imports/imp-1/items"))
      return json(200, { items: [], nextCursor: call.path.includes("cursor") ? null : "c2" });
    return json(200, { items: [], nextCursor: null });
  };
  return { sent, answer };
}

function drive(world: World, api: ReturnType<typeof fakeApi>, steps = 40, start = 1_000_000) {
  const scheduler = new Scheduler(
    () =>
      new AndroidSession(world, {
        signupShare: 0,
        minItems: 50,
        maxItems: 50,
        pollIntervalMs: 1000,
        pollTimeoutMs: 60_000,
        maxIdleMs: 40_000,
      }),
    1,
  );
  let now = start;
  for (let i = 0; i < steps && world.counters.completed + world.counters.failed === 0; i++) {
    const { call, ticket } = scheduler.take(now);
    scheduler.reply(ticket, api.answer(call), now);
    now += 4000;
  }
  return now;
}

describe("the Android session model", () => {
  it("logs in, lists, imports with a key, polls to completion, pages items, refreshes on expiry, logs out", () => {
    const world = new World([{ email: "a@example.com", password: "pw" }], "t", () => 0.99);
    const api = fakeApi();
    drive(world, api);
    const paths = api.sent.map((c) => `${c.method} ${c.path.split("?")[0] ?? ""}`);
    expect(paths[0]).toBe("POST /v1/auth/login");
    expect(paths[1]).toBe("GET /v1/imports");
    expect(paths[2]).toBe("POST /v1/imports");
    expect(paths).toContain("GET /v1/imports/imp-1");
    expect(paths.filter((p) => p === "GET /v1/imports/imp-1/items")).toHaveLength(2);
    expect(paths).toContain("POST /v1/auth/refresh");
    // The session ends with its logout; the scheduler's next slot opened a new session.
    expect(paths.at(-2)).toBe("POST /v1/auth/logout");
    expect(paths.at(-1)).toBe("POST /v1/auth/login");
    const create = api.sent[2];
    expect(create?.headers["idempotency-key"]).toMatch(/^android-t-/);
    expect((JSON.parse(create?.body ?? "{}") as { items: unknown[] }).items).toHaveLength(50);
    expect(world.counters).toMatchObject({ completed: 1, failed: 0 });
    expect(world.acceptedImports.has("imp-1")).toBe(true);
  });

  it("refreshes once on a 401 and repeats the call with the new token", () => {
    const world = new World([{ email: "a@example.com", password: "pw" }], "t", () => 0);
    const api = fakeApi((call, n) =>
      n === 2 ? json(401, { code: "UNAUTHENTICATED" }) : undefined,
    );
    drive(world, api, 4);
    expect(api.sent.slice(1, 4).map((c) => c.path.split("?")[0])).toEqual([
      "/v1/imports",
      "/v1/auth/refresh",
      "/v1/imports",
    ]);
    expect(api.sent[3]?.headers.authorization).toBe("Bearer access-1");
  });

  it("retries a keyed import after a 503 with Retry-After, with the same key, and not before it", () => {
    const world = new World([{ email: "a@example.com", password: "pw" }], "t", () => 0);
    const api = fakeApi((call, n) =>
      n === 3 ? json(503, { code: "SERVICE_UNAVAILABLE" }, { "retry-after": "2" }) : undefined,
    );
    const scheduler = new Scheduler(() => new AndroidSession(world), 2);
    let now = 0;
    const calls: Call[] = [];
    for (let i = 0; i < 4; i++) {
      const { call, ticket } = scheduler.take(now);
      calls.push(call);
      scheduler.reply(ticket, api.answer(call), now);
      now += 100;
    }
    // The 4th slot came 100 ms after the 503: the session waits, so a new session took it.
    expect(calls[3]?.path).toMatch(/^\/v1\/auth\/(login|register)$/);
    expect(scheduler.active).toBe(2);
    const { call } = scheduler.take(2300);
    expect(call.path).toBe("/v1/imports");
    expect(call.headers["idempotency-key"]).toBe(calls[2]?.headers["idempotency-key"]);
  });

  it("never retries a login that got a 503", () => {
    const world = new World([{ email: "a@example.com", password: "pw" }], "t", () => 0);
    const api = fakeApi((call) =>
      call.path === "/v1/auth/login" ? json(503, {}, { "retry-after": "1" }) : undefined,
    );
    drive(world, api, 3);
    expect(world.counters.failed).toBe(1);
    expect(world.failures.get("sign-in 503")).toBe(1);
    expect(api.sent).toHaveLength(1);
  });
});

describe("stage boundaries", () => {
  it("resend a GET or a keyed request, and drop a session whose login was on the wire", () => {
    const world = new World([{ email: "a@example.com", password: "pw" }], "t", () => 0.99);
    const scheduler = new Scheduler(() => new AndroidSession(world), 10);
    const first = scheduler.take(0);
    expect(first.call.path).toBe("/v1/auth/login");
    scheduler.abandonInFlight();
    expect(world.counters).toMatchObject({ abandoned: 1, failed: 0, completed: 0 });

    const login = scheduler.take(0);
    scheduler.reply(login.ticket, json(200, tokens(0)), 0);
    const list = scheduler.take(0);
    expect(list.call.path).toBe("/v1/imports?limit=20");
    scheduler.abandonInFlight();
    expect(scheduler.take(0).call.path).toBe("/v1/imports?limit=20");
  });
});
