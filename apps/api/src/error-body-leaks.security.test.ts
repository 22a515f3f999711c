import { describe, expect, it } from "vitest";

import { listOperations } from "@runway/api";
import { ErrorResponseSchema } from "@runway/contracts";

import type { Tokens } from "../test/harness";
import { adminTokens, http, PASSWORD, startTestServer, useTestServer } from "../test/harness";

/** Probing error bodies for internals: stack traces, SQL, driver messages, even on a real 500. */
const suite = useTestServer();

describe("error bodies", () => {
  it("never carry a stack trace, SQL or driver messages, even for an internal failure", async () => {
    const admin = await adminTokens(suite.base);
    // Garbage at every operation: malformed bodies, bad ids, bad query values.
    for (const op of listOperations()) {
      const path = `/v1${op.path.replace(/\{[^}]+\}/g, "not-a-uuid")}`;
      const method = op.method.toUpperCase();
      if (op.hasBody) {
        await suite.call(method, path, {
          token: admin.accessToken,
          raw: '{"a":',
          headers: { "content-type": "application/json" },
        });
        await suite.call(method, path, {
          token: admin.accessToken,
          body: { unexpected: "\u0000", items: "x" },
        });
      } else {
        await suite.call(method, `${path}?limit=abc&cursor=%00`, { token: admin.accessToken });
      }
    }
    await suite.call("GET", "/v1/admin/users?cursor=not-a-cursor", { token: admin.accessToken });
    await suite.call("POST", "/v1/auth/login", {
      raw: "{",
      headers: { "content-type": "application/json" },
    });
    await suite.call("POST", "/trpc/auth.login", {
      raw: "{",
      headers: { "content-type": "application/json" },
    });
    await suite.call("GET", "/v1/admin/users?limit=abc", { token: admin.accessToken });

    // Break the database under a live server: the failure must surface as a bare 500.
    const broken = await startTestServer();
    try {
      const user = await newUserOn(broken.url);
      await broken.running.database.close();
      const rest = await http(broken.url, "GET", "/v1/me", { token: user.accessToken });
      const trpc = await http(broken.url, "GET", "/trpc/me.get", { token: user.accessToken });
      suite.errorBodies.push(rest.text, trpc.text);
      expect(rest.status).toBe(500);
      expect(ErrorResponseSchema.parse(rest.body)).toMatchObject({
        code: "INTERNAL_ERROR",
        message: "Something went wrong on our side",
      });
      expect(trpc.status).toBe(500);
    } finally {
      await broken.running.stop().catch(() => undefined);
    }

    expect(suite.errorBodies.length).toBeGreaterThan(20);
    for (const body of suite.errorBodies) {
      expect(body).not.toMatch(
        /\bat .+:\d+:\d+|node_modules|stack|select |postgres|drizzle|ZodError|TypeError/i,
      );
    }
  });
});

async function newUserOn(url: string): Promise<Tokens> {
  const res = await http<{ tokens: Tokens }>(url, "POST", "/v1/auth/register", {
    body: { email: `broken.${Date.now()}@example.com`, password: PASSWORD },
  });
  return res.body.tokens;
}
