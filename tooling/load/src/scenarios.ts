import type { Session } from "./session";
import type { Thresholds } from "./thresholds";
import type { Stage } from "./traffic";
import type { World } from "./world";
import { AndroidSession } from "./android";
import { ImportSession, LoginSession, ReadSession } from "./mixes";
import { SLO_P95_MS } from "./routes";

export const SCENARIOS = [
  "android",
  "login-storm",
  "import-burst",
  "read-heavy",
  "capacity",
  "overload",
  "smoke",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioDef {
  description: string;
  session: (world: World) => Session;
  /** Signed-in apps to prepare for borrowing sessions. */
  authPool: number;
  /** `rate` overrides the scenario's top rate (req/s), `durationS` its main hold. */
  stages: (rate?: number, durationS?: number) => Stage[];
  thresholds: Thresholds;
}

/** Ramps linearly from `from` to `to` req/s in `steps` stages of `each` seconds. */
export function ramp(
  from: number,
  to: number,
  steps: number,
  each: number,
  name = "ramp",
): Stage[] {
  return Array.from({ length: steps }, (_, i) => ({
    name: `${name} ${String(i + 1)}/${String(steps)}`,
    rate: Math.round(from + ((to - from) * i) / Math.max(1, steps - 1)),
    durationS: each,
  }));
}

/** The objectives of docs/slo.md, with a p99 that catches a long tail. */
const slo: Thresholds = {
  p95Ms: SLO_P95_MS,
  p99Ms: { read: 1000, auth: 1500, write: 1500, import: 4000 },
  maxErrorRate: 0.001,
  max429Share: 0.01,
  maxShedShare: 0.01,
  maxSessionFailShare: 0.02,
  importsReconcile: true,
};

const android = (world: World) => new AndroidSession(world);

/**
 * The Android model against the SLO: `steps` ramp stages of `stepS` s from a `steps`th of the
 * rate up to it, then the hold (both defaults overridable from the command line).
 */
function androidModel(
  description: string,
  defaults: { rate: number; durationS: number; steps: number; stepS: number },
): ScenarioDef {
  const { steps, stepS } = defaults;
  return {
    description,
    session: android,
    authPool: 0,
    stages: (rate = defaults.rate, durationS = defaults.durationS) => [
      ...ramp(Math.max(1, Math.round(rate / steps)), rate, steps, stepS),
      { name: "hold", rate, durationS },
    ],
    thresholds: slo,
  };
}

export const scenarios: Record<ScenarioName, ScenarioDef> = {
  android: androidModel("the Android traffic model, ramping up then holding", {
    rate: 40,
    durationS: 120,
    steps: 4,
    stepS: 15,
  }),
  "login-storm": {
    description: "apps logging in at once (argon2id), then /v1/me",
    session: (world) => new LoginSession(world),
    authPool: 0,
    stages: (rate = 30, durationS = 60) => [
      ...ramp(Math.max(1, Math.round(rate / 6)), rate, 3, 10),
      { name: "storm", rate, durationS },
    ],
    thresholds: { ...slo, importsReconcile: false },
  },
  "import-burst": {
    description: "keyed imports of 500 contacts from signed-in apps, polled to completion",
    session: (world) => new ImportSession(world),
    authPool: 48,
    stages: (rate = 20, durationS = 60) => [{ name: "burst", rate, durationS }],
    thresholds: slo,
  },
  "read-heavy": {
    description: "lists, an import, its items and the profile from signed-in apps",
    session: (world) => new ReadSession(world),
    authPool: 48,
    stages: (rate = 150, durationS = 90) => [
      ...ramp(Math.round(rate / 3), rate, 3, 10),
      { name: "hold", rate, durationS },
    ],
    thresholds: { ...slo, importsReconcile: false },
  },
  capacity: {
    description: "the Android model stepped up until an objective of docs/slo.md breaks",
    session: android,
    authPool: 0,
    stages: (rate = 10, durationS = 30) =>
      Array.from({ length: 30 }, (_, i) => ({
        name: `step ${String(i + 1)}`,
        rate: rate * (i + 1),
        durationS,
      })),
    thresholds: slo,
  },
  overload: {
    description:
      "half the capacity, then twice it, then half again: shed fast, lose nothing, recover",
    session: android,
    authPool: 0,
    stages: (capacity = 40, durationS = 30) => [
      { name: "before", rate: Math.max(1, Math.round(capacity / 2)), durationS },
      { name: "burst", rate: capacity * 2, durationS },
      { name: "after", rate: Math.max(1, Math.round(capacity / 2)), durationS },
    ],
    thresholds: {
      p95Ms: {},
      p99Ms: {},
      maxErrorRate: 0.01,
      max429Share: 1,
      importsReconcile: true,
    },
  },
  smoke: androidModel("CI gate: 45 s of the Android model at a low rate, ramping then constant", {
    rate: 12,
    durationS: 30,
    steps: 3,
    stepS: 5,
  }),
};
