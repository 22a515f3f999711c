import { cpus, loadavg, totalmem } from "node:os";

import type { Scrape } from "./observe";
import type { Reconciliation } from "./reconcile";
import type { Summary } from "./stats";
import type { Thresholds, Verdict } from "./thresholds";
import type { Sample, StageResult } from "./traffic";

/** Everything a run recorded: what `pnpm load:report` reads (results.json in the run folder). */
export interface RunResult {
  version: 1;
  scenario: string;
  description: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  stages: StageResult[];
  samples: Sample[];
  scrapes: Scrape[];
  sessions: {
    started: number;
    completed: number;
    failed: number;
    /** Dropped at a stage boundary with an unrepeatable request on the wire. */
    abandoned?: number;
    refreshes: number;
    retries: number;
  };
  failures: Record<string, number>;
  imports: Reconciliation | null;
  summary: Summary;
  thresholds: Thresholds;
  verdicts: Verdict[];
  capacity?: CapacityResult;
  pass: boolean;
}

export interface CapacityResult {
  /** Highest offered rate (req/s) whose step held every objective; null if the first broke. */
  rate: number | null;
  /** Sessions started per second during that step. */
  sessionsPerS: number | null;
  brokenBy: string[];
  steps: { rate: number; achieved: number; pass: boolean; verdicts: Verdict[] }[];
}

export interface Machine {
  cpus: number;
  model: string;
  memGb: number;
  node: string;
  loadavgStart: number[];
  loadavgEnd: number[];
}

export function machineNow(): Omit<Machine, "loadavgEnd"> {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    memGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    loadavgStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function loadNow(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}
