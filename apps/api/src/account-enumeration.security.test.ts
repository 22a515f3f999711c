import { describe, expect, it } from "vitest";

import { ErrorResponseSchema } from "@runway/contracts";

import { newUser, useTestServer } from "../test/harness";

/**
 * Imports tell a user which of their contacts have accounts: account discovery by design
 * (docs/security.md). MATCH_LOOKUPS_PER_DAY caps how many contacts one user can look up, and
 * the lookups are counted in metrics.
 */
const METRICS_TOKEN = "Vb7mQ2xN9pL4kR8tW1zY6cF3hJ0dG5sA2eU7iO4qX9nM1bK8";
const api = useTestServer({ MATCH_LOOKUPS_PER_DAY: "5", METRICS_TOKEN });

const contacts = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ email: `contact${from + i}@example.com` }));

async function lookupsCounted(): Promise<number> {
  const res = await fetch(`${api.base}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const line = (await res.text())
    .split("\n")
    .find((l) => l.startsWith("runway_contact_match_lookups_total{"));
  return Number(line?.split(" ").at(-1));
}

describe("the daily cap on contact lookups", () => {
  it("refuses an import past MATCH_LOOKUPS_PER_DAY, not counting replays or contacts without email or phone", async () => {
    const user = await newUser(api.base);
    const upload = (key: string, items: unknown[]) =>
      api.call("POST", "/v1/imports", {
        token: user.tokens.accessToken,
        headers: { "idempotency-key": key },
        body: { source: "android-contacts", items },
      });
    const before = await lookupsCounted();

    expect((await upload("d1", contacts(3))).status).toBe(202);
    // A replay is not a new lookup; names alone look nothing up.
    expect((await upload("d1", contacts(3))).headers.get("idempotent-replayed")).toBe("true");
    expect((await upload("d2", [{ name: "No Contact" }, { name: "Nor Me" }])).status).toBe(202);

    const refused = await upload("d3", contacts(3, 10));
    expect(refused.status).toBe(429);
    expect(ErrorResponseSchema.parse(refused.body).code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3600);

    // What is left of the budget can still be used, exactly.
    expect((await upload("d4", contacts(2, 20))).status).toBe(202);
    expect((await upload("d5", contacts(1, 30))).status).toBe(429);
    expect((await lookupsCounted()) - before).toBe(5);

    // Another user has a budget of their own.
    const other = await newUser(api.base);
    const res = await api.call("POST", "/v1/imports", {
      token: other.tokens.accessToken,
      headers: { "idempotency-key": "d1" },
      body: { source: "android-contacts", items: contacts(5) },
    });
    expect(res.status).toBe(202);
  });
});
