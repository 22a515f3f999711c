import { afterEach, describe, expect, it, vi } from "vitest";

import { createCapturingLogger } from "./logger";
import { runService } from "./process";

// Plain EventEmitter typing: events are emitted by hand here, without Node's own arguments.
const emitter: NodeJS.EventEmitter = process;
const EVENTS = ["SIGTERM", "SIGINT", "uncaughtExceptionMonitor"];
const before = new Map(EVENTS.map((event) => [event, emitter.listeners(event)]));

afterEach(() => {
  for (const event of EVENTS)
    for (const listener of emitter.listeners(event))
      if (!before.get(event)?.includes(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
});

describe("runService", () => {
  it("stops once on repeated signals and exits 0 when stopped", async () => {
    const { logger, lines } = createCapturingLogger("worker");
    const stop = vi.fn(() => Promise.resolve());
    const exit = vi.fn();
    await runService(logger, () => Promise.resolve({ stop }), { forceExitMs: 60_000, exit });
    emitter.emit("SIGTERM");
    emitter.emit("SIGINT");
    await vi.waitFor(() => {
      expect(exit).toHaveBeenCalledWith(0);
    });
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(lines.join("")).toContain("SIGTERM received, shutting down");
  });

  it("exits 1 and logs why when stopping fails", async () => {
    const { logger, lines } = createCapturingLogger("api");
    const exit = vi.fn();
    const stop = () => Promise.reject(new Error("database close timed out"));
    await runService(logger, () => Promise.resolve({ stop }), { forceExitMs: 60_000, exit });
    emitter.emit("SIGINT");
    await vi.waitFor(() => {
      expect(exit).toHaveBeenCalledWith(1);
    });
    expect(lines.join("")).toContain("database close timed out");
  });

  it("exits 1 when stopping outlasts forceExitMs", async () => {
    const { logger } = createCapturingLogger("worker");
    const exit = vi.fn();
    const stop = () => new Promise<void>(() => undefined);
    await runService(logger, () => Promise.resolve({ stop }), { forceExitMs: 50, exit });
    emitter.emit("SIGTERM");
    await vi.waitFor(() => {
      expect(exit).toHaveBeenCalledWith(1);
    });
  });

  it("logs an uncaught exception before the process ends", async () => {
    const { logger, lines } = createCapturingLogger("api");
    await runService(logger, () => Promise.resolve({ stop: () => Promise.resolve() }), {
      forceExitMs: 60_000,
      exit: vi.fn(),
    });
    emitter.emit("uncaughtExceptionMonitor", new Error("boom"), "uncaughtException");
    expect(lines.join("")).toContain("uncaught exception; exiting");
    expect(lines.join("")).toContain("boom");
  });
});
