import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FakeReceiver } from "@runway/test-harness";
import { startFakeReceiver } from "@runway/test-harness";

import type { ErrorTracker } from "./error-tracking";
import { createErrorTracker } from "./error-tracking";

/** Sentry envelopes are newline-separated JSON: envelope header, then item header and payload. */
function events(receiver: FakeReceiver): Record<string, unknown>[] {
  return receiver.received.flatMap((request) => {
    const lines = request.body.split("\n").filter((line) => line.length > 0);
    const out: Record<string, unknown>[] = [];
    for (let i = 1; i + 1 < lines.length; i += 2) {
      const header = JSON.parse(lines[i]!) as { type?: string };
      if (header.type === "event") out.push(JSON.parse(lines[i + 1]!) as Record<string, unknown>);
    }
    return out;
  });
}

let sentry: FakeReceiver;
let tracker: ErrorTracker;

beforeAll(async () => {
  sentry = await startFakeReceiver("{}");
  const dsn = `${sentry.url.replace("http://", "http://publickey1234@")}/42`;
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
    const [event] = events(sentry);
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

  it("is a no-op without a DSN", async () => {
    const off = await createErrorTracker(null, "worker");
    expect(off.enabled).toBe(false);
    const before = sentry.received.length;
    off.capture(new Error("nothing"));
    await off.flush();
    expect(sentry.received.length).toBe(before);
  });
});
