import type { RunResult } from "../results";
import { ROUTE_CLASSES } from "../routes";
import { percentile } from "../stats";

export interface Point {
  x: number;
  y: number | null;
}

export interface Series {
  name: string;
  points: Point[];
}

/** Per-bucket series of a run: latency percentiles per class, throughput, error/429/503 rates. */
export function timeSeries(run: RunResult, bucketS = 5) {
  const bucketMs = bucketS * 1000;
  const end = Math.max(0, ...run.samples.map((s) => s[0]), ...run.stages.map((s) => s.endMs));
  const buckets = Math.max(1, Math.ceil(end / bucketMs));
  const groups: RunResult["samples"][] = Array.from({ length: buckets }, () => []);
  for (const s of run.samples) groups[Math.min(buckets - 1, Math.floor(s[0] / bucketMs))]?.push(s);
  const x = (i: number) => ((i + 0.5) * bucketMs) / 1000;

  const latency = ROUTE_CLASSES.map((cls, index) => ({
    cls,
    series: ([50, 95, 99] as const).map((p) => ({
      name: `p${String(p)}`,
      points: groups.map((g, i) => {
        const values = g.filter((s) => s[1] === index && s[2] !== 0).map((s) => s[3]);
        return { x: x(i), y: values.length ? percentile(values, p) : null };
      }),
    })),
  })).filter((c) => run.samples.some((s) => ROUTE_CLASSES[s[1]] === c.cls));

  const rate = (test: (status: number) => boolean): Point[] =>
    groups.map((g, i) => ({
      x: x(i),
      y: g.length ? g.filter((s) => test(s[2])).length / g.length : null,
    }));
  const offered: Point[] = groups.map((_, i) => {
    const stage = run.stages.find((s) => x(i) * 1000 >= s.startMs && x(i) * 1000 < s.endMs);
    return { x: x(i), y: stage ? stage.rate : null };
  });
  return {
    latency,
    throughput: [
      {
        name: "answered req/s",
        points: groups.map((g, i) => ({ x: x(i), y: g.length / bucketS })),
      },
      { name: "offered req/s", points: offered },
    ] satisfies Series[],
    errors: [
      {
        name: "errors (5xx but 503, timeouts)",
        points: rate((c) => c === 0 || (c >= 500 && c !== 503)),
      },
      { name: "429", points: rate((c) => c === 429) },
      { name: "503 shed", points: rate((c) => c === 503) },
    ] satisfies Series[],
    queue: [
      { name: "waiting", points: run.scrapes.map((s) => ({ x: s.t / 1000, y: s.queueWaiting })) },
      { name: "active", points: run.scrapes.map((s) => ({ x: s.t / 1000, y: s.queueActive })) },
    ] satisfies Series[],
    oldest: [
      {
        name: "oldest waiting (s)",
        points: run.scrapes.map((s) => ({ x: s.t / 1000, y: s.oldestWaitS })),
      },
    ] satisfies Series[],
    cpu: [
      {
        name: "API",
        points: run.scrapes.map((s) => ({
          x: s.t / 1000,
          y: s.apiCpu === null ? null : s.apiCpu * 100,
        })),
      },
      {
        name: "worker",
        points: run.scrapes.map((s) => ({
          x: s.t / 1000,
          y: s.workerCpu === null ? null : s.workerCpu * 100,
        })),
      },
    ] satisfies Series[],
    rss: [
      { name: "API", points: run.scrapes.map((s) => ({ x: s.t / 1000, y: s.apiRssMb })) },
      { name: "worker", points: run.scrapes.map((s) => ({ x: s.t / 1000, y: s.workerRssMb })) },
    ] satisfies Series[],
  };
}
