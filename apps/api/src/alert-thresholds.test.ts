import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { loadConfig } from "@runway/config";

/**
 * The in-process alerter (embedded mode) and the Prometheus rules page on the same numbers: the
 * ALERT_* defaults against infra/prometheus/rules.yml. Where they differ on purpose (how long a
 * condition must hold, the dead-letter window) docs/observability.md says so.
 */
interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}
const rulesFile = new URL("../../../infra/prometheus/rules.yml", import.meta.url);
const groups = (parse(readFileSync(rulesFile, "utf8")) as { groups: { rules: Rule[] }[] }).groups;
const rules = groups.flatMap((group) => group.rules);
const expr = (name: string) => {
  const rule = rules.find((r) => r.alert === name || r.record === name);
  if (!rule) throw new Error(`${name} is not in rules.yml`);
  return rule.expr.replace(/\s+/g, " ");
};
const defaults = loadConfig({ NODE_ENV: "test" }).observability.alerts;

describe("alert thresholds: ALERT_* defaults and the Prometheus rules agree", () => {
  it("5xx ratio: same ratio, window and minimum volume", () => {
    const window = `${String(defaults.windowSeconds / 60)}m`;
    const alert = expr("RunwayHigh5xxRatio");
    expect(alert).toContain(
      `runway:http_requests_5xx:ratio_rate${window} > ${String(defaults.errorRatio)}`,
    );
    expect(alert).toContain(
      `[${window}])) * ${String(defaults.windowSeconds)} >= ${String(defaults.minRequests)}`,
    );
    expect(expr(`runway:http_requests_5xx:ratio_rate${window}`)).toContain(`[${window}]`);
  });

  it("import queue: same age", () => {
    expect(expr("RunwayImportQueueStalled")).toBe(
      `max(runway_import_queue_oldest_waiting_seconds) > ${String(defaults.queueAgeSeconds)}`,
    );
  });
});
