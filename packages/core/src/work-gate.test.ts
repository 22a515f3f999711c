import { describe, expect, it } from "vitest";

import { BusyError, WorkGate } from "./work-gate";

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the work gate", () => {
  it("runs up to maxActive at once, queues up to maxQueued, refuses the rest with 503", async () => {
    const gate = new WorkGate(1, 1, 3);
    const first = deferred();
    const started: string[] = [];
    const a = gate.run(async () => {
      started.push("a");
      await first.promise;
      return "a";
    });
    const b = gate.run(() => {
      started.push("b");
      return Promise.resolve("b");
    });
    expect(gate.queued).toBe(1);
    const refused = await gate.run(() => Promise.resolve("c")).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BusyError);
    expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 3 });
    expect(started).toEqual(["a"]);

    first.resolve();
    expect(await a).toBe("a");
    expect(await b).toBe("b");
    expect(started).toEqual(["a", "b"]);
    expect(await gate.run(() => Promise.resolve("d"))).toBe("d");
  });

  it("frees its slot when a task fails", async () => {
    const gate = new WorkGate(1, 1);
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(() => Promise.resolve(1))).toBe(1);
  });

  it("queues without limit when maxQueued is 0", async () => {
    const gate = new WorkGate(1, 0);
    const hold = deferred();
    const tasks = [
      gate.run(() => hold.promise),
      ...Array.from({ length: 50 }, () => gate.run(() => Promise.resolve())),
    ];
    expect(gate.queued).toBe(50);
    hold.resolve();
    await Promise.all(tasks);
    expect(gate.queued).toBe(0);
  });
});
