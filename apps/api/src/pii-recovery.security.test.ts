import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";

import { ErrorResponseSchema, ImportItemPageSchema, ImportResponseSchema } from "@runway/contracts";

import { http, newUser, PASSWORD, useTestServer, waitForCompletion } from "../test/harness";

/**
 * PII findings of the attack pass, on PostgreSQL: text that broke masking (500s), request
 * fingerprints from which a phone number was brute-forced, and idempotency records that outlived
 * the erasure of their import.
 */
const api = useTestServer();

const upload = (token: string, key: string, items: unknown[]) =>
  http(api.base, "POST", "/v1/imports", {
    token,
    headers: { "idempotency-key": key },
    body: { source: "android-contacts", defaultRegion: "KR", items },
  });

describe("contacts in any script", () => {
  it("accepts names and emails starting with emoji, combining marks or RTL text, and refuses lone surrogates per item", async () => {
    const user = await newUser(api.base);
    const items = [
      { name: "😀 Jane", email: "😀jane@example.com" },
      { name: "e\u0301mile", email: "e\u0301mile@example.com" },
      { name: "שרה כהן", phone: "010-5555-1234" },
      { name: "\ud83d broken" },
      { email: "\ude00@example.com" },
    ];
    const res = await upload(user.tokens.accessToken, "emoji-1", items);
    expect(res.status).toBe(202);
    const created = ImportResponseSchema.parse(res.body).import;
    const done = await waitForCompletion(api.base, user.tokens.accessToken, created.id);
    expect(done).toMatchObject({ totalItems: 5, validItems: 3, invalidItems: 2 });
    const page = ImportItemPageSchema.parse(
      (
        await http(api.base, "GET", `/v1/imports/${created.id}/items`, {
          token: user.tokens.accessToken,
        })
      ).body,
    );
    expect(page.items.map((item) => [item.status, item.reason])).toEqual([
      ["valid", null],
      ["valid", null],
      ["valid", null],
      ["invalid", "MALFORMED_TEXT"],
      ["invalid", "MALFORMED_TEXT"],
    ]);
    expect(page.items.map((item) => item.nameMasked)).toEqual([
      "😀***",
      "e\u0301***",
      "ש***",
      null,
      null,
    ]);
    expect(page.items[0]?.emailMasked).toBe("😀***@example.com");
  });

  it("refuses a lone surrogate in a display name with 400, not 500", async () => {
    const res = await http(api.base, "POST", "/v1/auth/register", {
      raw: `{"email":"lone.${Date.now()}@example.com","password":"${PASSWORD}","displayName":"\\ud83d"}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(ErrorResponseSchema.parse(res.body).code).toBe("VALIDATION_FAILED");
  });
});

describe("erasure leaves nothing recoverable", () => {
  const items = [{ name: "Jane", phone: "010-5555-0199" }];

  it("keys the request fingerprint: the stored value is not a digest anyone can recompute", async () => {
    const user = await newUser(api.base);
    expect((await upload(user.tokens.accessToken, "fp-1", items)).status).toBe(202);
    const [row] = await api.sql<{ fingerprint: string }[]>`
      select fingerprint from idempotency_keys where user_id = ${user.id} and key = 'fp-1'`;
    const input = { source: "android-contacts", defaultRegion: "KR", items };
    const unkeyed = createHash("sha256").update(JSON.stringify(input)).digest("hex");
    expect(row?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.fingerprint).not.toBe(unkeyed);
  });

  it("erases the Idempotency-Key record with the import; the key then starts a new import", async () => {
    const user = await newUser(api.base);
    const token = user.tokens.accessToken;
    const first = ImportResponseSchema.parse((await upload(token, "erase-1", items)).body).import;
    const replay = await upload(token, "erase-1", items);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");

    expect((await http(api.base, "DELETE", `/v1/imports/${first.id}`, { token })).status).toBe(204);
    const left = await api.sql`
      select 1 from idempotency_keys where user_id = ${user.id} and key = 'erase-1'`;
    expect(left).toHaveLength(0);

    const after = await upload(token, "erase-1", items);
    expect(after.status).toBe(202);
    expect(after.headers.get("idempotent-replayed")).toBeNull();
    const second = ImportResponseSchema.parse(after.body).import;
    expect(second.id).not.toBe(first.id);
    expect((await http(api.base, "GET", `/v1/imports/${first.id}`, { token })).status).toBe(404);
  });

  it("erases an import while the dispatcher processes it, without a deadlock", async () => {
    const user = await newUser(api.base);
    const token = user.tokens.accessToken;
    const many = Array.from({ length: 2000 }, (_, i) => ({ email: `race${i}@example.com` }));
    for (let round = 0; round < 5; round++) {
      const created = ImportResponseSchema.parse(
        (await upload(token, `race-${round}`, many)).body,
      ).import;
      await new Promise((resolve) => setTimeout(resolve, round * 20));
      const erased = await http(api.base, "DELETE", `/v1/imports/${created.id}`, { token });
      expect(erased.status).toBe(204);
    }
  });
});
