import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FakeReceiver } from "@runway/test-harness";
import { sentryDsn, sentryEvents, startFakeReceiver } from "@runway/test-harness";

import type { ErrorTracker } from "./error-tracking";
import { createErrorTracker } from "./error-tracking";

let sentry: FakeReceiver;
let tracker: ErrorTracker;

beforeAll(async () => {
  sentry = await startFakeReceiver("{}");
  const dsn = sentryDsn(sentry, "publickey1234", 42);
  tracker = await createErrorTracker({ dsn, environment: "test", release: "runway@1.2.3" }, "api");
});
afterAll(async () => {
  await sentry.close();
});

describe("error tracking (Sentry)", () => {
  it("sends the error to the project's envelope endpoint, tagged and scrubbed", async () => {
    const error = new Error(
      "insert failed for jane.doe@example.com / +82 10-1234-5678 with Bearer eyJhbGciOi.abc.def",
    );
    tracker.capture(error, {
      requestId: "req-abc-123",
      tags: { importId: "0b8f7a3e-1111-4222-8333-444455556666" },
    });
    await tracker.flush(5000);
    await sentry.waitFor(1);

    const request = sentry.received[0]!;
    expect(request.path).toMatch(/^\/api\/42\/envelope\//);
    expect(String(request.headers["x-sentry-auth"] ?? request.path)).toContain("publickey1234");
    const [{ event } = { event: {} }] = sentryEvents(sentry);
    expect(event).toMatchObject({
      environment: "test",
      release: "runway@1.2.3",
      tags: {
        service: "api",
        requestId: "req-abc-123",
        importId: "0b8f7a3e-1111-4222-8333-444455556666",
      },
    });
    const body = request.body;
    expect(body).toContain("insert failed for [email]");
    for (const leaked of ["jane.doe@example.com", "10-1234-5678", "eyJhbGciOi.abc.def"]) {
      expect(body).not.toContain(leaked);
    }
  });

  it("counts a frame left in a bundle as library code, and our sources as the app's", async () => {
    const error = new Error("bundle frames");
    error.stack = [
      "Error: bundle frames",
      "    at Layer.handleRequest (file:///app/apps/api/dist/main.js:429:57061)",
      "    at login (/app/packages/core/src/users.ts:120:5)",
    ].join("\n");
    const before = sentry.received.length;
    tracker.capture(error);
    await tracker.flush(5000);
    await sentry.waitFor(before + 1);

    const { event } = sentryEvents(sentry).at(-1) ?? { event: {} };
    const frames = (event as { exception?: { values?: { stacktrace?: { frames?: object[] } }[] } })
      .exception?.values?.[0]?.stacktrace?.frames;
    expect(frames).toEqual([
      expect.objectContaining({ function: "login", in_app: true }),
      expect.objectContaining({ function: "Layer.handleRequest", in_app: false }),
    ]);
  });

  it("is a no-op without a DSN", async () => {
    const off = await createErrorTracker(null, "worker");
    expect(off.enabled).toBe(false);
    const before = sentry.received.length;
    off.capture(new Error("nothing"));
    await off.flush();
    expect(sentry.received.length).toBe(before);
  });
});
