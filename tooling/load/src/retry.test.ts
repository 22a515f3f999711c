import { describe, expect, it } from "vitest";

import { retryAfterMs, retryDelayMs } from "./retry";

const get = (status: number, retryAfter?: string) => ({
  method: "GET",
  keyed: false,
  status,
  retryAfter,
});

describe("the Android retry rules", () => {
  it("retries safe requests on I/O failures, 429, 502, 503 and 504 only", () => {
    for (const status of [0, 429, 502, 503, 504])
      expect(retryDelayMs(get(status), 1, 0, () => 0.5)).not.toBeNull();
    for (const status of [400, 401, 404, 409, 422, 500])
      expect(retryDelayMs(get(status), 1, 0)).toBeNull();
  });

  it("never retries a POST without an Idempotency-Key, and retries a keyed one", () => {
    expect(retryDelayMs({ method: "POST", keyed: false, status: 503 }, 1, 0)).toBeNull();
    expect(retryDelayMs({ method: "POST", keyed: false, status: 0 }, 1, 0)).toBeNull();
    expect(retryDelayMs({ method: "POST", keyed: true, status: 503 }, 1, 0, () => 0)).toBe(0);
  });

  it("retries a keyed request on 409 IDEMPOTENCY_REQUEST_IN_PROGRESS, not on another 409", () => {
    const keyed = { method: "POST", keyed: true, status: 409 };
    expect(
      retryDelayMs({ ...keyed, errorCode: "IDEMPOTENCY_REQUEST_IN_PROGRESS" }, 1, 0, () => 0),
    ).toBe(0);
    expect(retryDelayMs({ ...keyed, errorCode: "CONFLICT" }, 1, 0)).toBeNull();
  });

  it("waits exactly Retry-After, and gives up when it asks for more than 30 s", () => {
    expect(retryDelayMs(get(429, "2"), 1, 0)).toBe(2000);
    expect(retryDelayMs(get(503, "30"), 1, 0)).toBe(30_000);
    expect(retryDelayMs(get(503, "31"), 1, 0)).toBeNull();
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
  });

  it("backs off with full jitter under a doubling ceiling capped at 8 s", () => {
    const top = () => 0.999_999;
    expect(retryDelayMs(get(503), 1, 0, top)).toBe(499);
    expect(retryDelayMs(get(503), 2, 0, top)).toBe(999);
    expect(retryDelayMs(get(503), 1, 0, () => 0)).toBe(0);
  });

  it("stops after 3 attempts and never waits past the 60 s call timeout", () => {
    expect(retryDelayMs(get(503), 3, 0)).toBeNull();
    expect(retryDelayMs(get(503, "5"), 2, 56_000)).toBeNull();
    expect(retryDelayMs(get(503, "5"), 2, 50_000)).toBe(5000);
  });
});
