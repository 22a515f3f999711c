import { describe, expect, it } from "vitest";

import type { Sample, StageResult } from "./traffic";
import { samplesOf } from "./fixtures.test-util";
import { overloadVerdicts, recoverySeconds, stepVerdicts } from "./phases";

const stage = (name: string, rate: number, startMs: number, endMs: number): StageResult => ({
  name,
  rate,
  durationS: (endMs - startMs) / 1000,
  startMs,
  endMs,
  sent: 0,
});

describe("capacity steps", () => {
  it("holds when every objective holds and the offered rate was reached", () => {
    const samples = samplesOf(300, 0, 200, 40, 0, 100);
    const verdicts = stepVerdicts(samples, [], stage("s", 10, 0, 30_000));
    expect(verdicts.every((v) => v.pass)).toBe(true);
  });

  it("breaks on a read p95 over 300 ms, on 5xx or shed over 0.1 %, or on a slow queue", () => {
    const slow = samplesOf(300, 0, 200, 400, 0, 100);
    expect(stepVerdicts(slow, [], stage("s", 10, 0, 30_000)).find((v) => !v.pass)?.name).toBe(
      "read p95",
    );
    // Shed while the step settled (its first 5 s) still counts against availability.
    const shed: Sample[] = [
      ...samplesOf(290, 0, 200, 40, 0, 100),
      ...samplesOf(10, 0, 503, 1, 1000, 100),
    ];
    expect(stepVerdicts(shed, [], stage("s", 10, 0, 30_000)).find((v) => !v.pass)?.name).toBe(
      "5xx + timeouts",
    );
    const queue = [
      {
        t: 10_000,
        queueWaiting: 50,
        queueActive: 2,
        oldestWaitS: 75,
        apiCpu: 1,
        apiRssMb: 1,
        workerCpu: 1,
        workerRssMb: 1,
      },
    ];
    expect(
      stepVerdicts(samplesOf(300, 0, 200, 40, 0, 100), queue, stage("s", 10, 0, 30_000)).find(
        (v) => !v.pass,
      )?.name,
    ).toBe("oldest queued import");
  });

  it("breaks when the server held the generator below 90 % of the offered rate", () => {
    const verdicts = stepVerdicts(
      samplesOf(150, 0, 200, 40, 0, 200),
      [],
      stage("s", 10, 0, 30_000),
    );
    expect(verdicts.find((v) => v.name === "achieved rate")?.pass).toBe(false);
  });
});

describe("overload", () => {
  const stages = [
    stage("before", 10, 0, 30_000),
    stage("burst", 40, 30_000, 60_000),
    stage("after", 10, 60_000, 90_000),
  ];
  const before = samplesOf(300, 0, 200, 40, 0, 100);

  it("measures recovery as the time until every later window is back under the limit", () => {
    const slowThenFast = [
      ...samplesOf(40, 0, 200, 900, 60_000, 100),
      ...samplesOf(260, 0, 200, 40, 64_000, 100),
    ];
    expect(recoverySeconds(slowThenFast, 60_000, 90_000, 300)).toBe(4);
    expect(
      recoverySeconds(samplesOf(300, 0, 200, 900, 60_000, 100), 60_000, 90_000, 300),
    ).toBeNull();
  });

  it("passes a burst shed fast with 503s that recovers at once", () => {
    const burst = [
      ...samplesOf(600, 0, 200, 80, 30_000, 50),
      ...samplesOf(600, 0, 503, 3, 30_025, 50),
    ];
    const after = samplesOf(300, 0, 200, 40, 60_000, 100);
    const verdicts = overloadVerdicts([...before, ...burst, ...after], stages);
    expect(verdicts.map((v) => [v.name, v.pass])).toEqual([
      ["excess shed fast as 429/503, or absorbed", true],
      ["timeouts during the burst", true],
      ["5xx other than shed 503", true],
      ["p95 back to normal after the burst", true],
    ]);
  });

  it("fails timeouts, 500s and a slow recovery", () => {
    const burst = [
      ...samplesOf(500, 0, 200, 80, 30_000, 50),
      ...samplesOf(50, 0, 0, 20_000, 30_000, 500),
      ...samplesOf(50, 0, 500, 5, 30_010, 500),
    ];
    const after = [
      ...samplesOf(150, 0, 200, 2000, 60_000, 100),
      ...samplesOf(150, 0, 200, 40, 75_000, 100),
    ];
    const failed = overloadVerdicts([...before, ...burst, ...after], stages)
      .filter((v) => !v.pass)
      .map((v) => v.name);
    expect(failed).toEqual([
      "timeouts during the burst",
      "5xx other than shed 503",
      "p95 back to normal after the burst",
    ]);
  });

  it("fails a burst that was neither shed nor absorbed: it queued past the objective", () => {
    const burst = samplesOf(1200, 0, 200, 900, 30_000, 25);
    const after = samplesOf(300, 0, 200, 40, 60_000, 100);
    const verdict = overloadVerdicts([...before, ...burst, ...after], stages)[0];
    expect(verdict).toMatchObject({ pass: false, actual: "none shed, queued: read p95 900 ms" });
  });
});
