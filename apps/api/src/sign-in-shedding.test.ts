import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ErrorResponseSchema } from "@runway/contracts";
import { passwordGate } from "@runway/core";

import type { TestServer } from "../test/harness";
import { http, PASSWORD, startTestServer } from "../test/harness";

let server: TestServer;
const user = { email: "storm@example.com", password: PASSWORD };

beforeAll(async () => {
  // One argon2 slot and two waiting: the test fills them by hand, no timing involved.
  server = await startTestServer({ SHED_PASSWORD_QUEUE: "2", UV_THREADPOOL_SIZE: "1" });
  expect((await http(server.url, "POST", "/v1/auth/register", { body: user })).status).toBe(201);
});
afterAll(async () => {
  await server.close();
});

describe("a login storm", () => {
  it("gets 503 SERVICE_UNAVAILABLE with Retry-After at once while argon2 is saturated, on both surfaces", async () => {
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const holders = [1, 2, 3].map(() => passwordGate.run(() => hold));
    expect(passwordGate.queued).toBe(2);

    const rest = await http(server.url, "POST", "/v1/auth/login", {
      body: user,
      headers: { "x-request-id": "storm-1" },
    });
    expect(rest.status).toBe(503);
    expect(rest.headers.get("retry-after")).toBe("2");
    expect(ErrorResponseSchema.parse(rest.body)).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      requestId: "storm-1",
    });
    const trpc = await http(server.url, "POST", "/trpc/auth.login", { body: user });
    expect(trpc.status).toBe(503);
    expect(trpc.headers.get("retry-after")).toBe("2");

    release();
    await Promise.all(holders);
    const ok = await http(server.url, "POST", "/v1/auth/login", { body: user });
    expect(ok.status).toBe(200);
  });
});
