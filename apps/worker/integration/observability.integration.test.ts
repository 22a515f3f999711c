import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import type { FakeReceiver, RedisServer, TestApi, Tokens } from "@runway/test-harness";
import { ImportResponseSchema } from "@runway/contracts";
import {
  adminTokens,
  benchSecrets,
  http,
  newUser,
  sentryDsn,
  startFakeReceiver,
  startRedis,
  startTestApi,
} from "@runway/test-harness";

import type { WorkerProcess } from "./helpers";
import { startWorkerProcess, waitFor } from "./helpers";

/**
 * One request followed from the Android app through the API into the worker: the same request
 * id on every line, both services' /metrics, a failed job reaching Sentry, and the dashboard
 * and alert rules querying only metrics the services really export.
 */
const METRICS_TOKEN = "pX4vN8qL2mR7tK1wZ5yB9cD3fG6hJ0sA4eU8iO2nM6bV1xC5zQ";
const infra = (file: string) => new URL(`../../../infra/${file}`, import.meta.url);

let redis: RedisServer;
let sentry: FakeReceiver;
let server: TestApi;
let worker: WorkerProcess;
let workerMetricsUrl: string;
let user: { id: string; tokens: Tokens };

beforeAll(async () => {
  redis = await startRedis();
  sentry = await startFakeReceiver("{}");
  server = await startTestApi(
    // Job options (attempts, backoff) come from the producer.
    { REDIS_URL: redis.url, METRICS_TOKEN, IMPORT_ATTEMPTS: "2", IMPORT_BACKOFF_MS: "50" },
  );
  worker = startWorkerProcess({
    DATABASE_URL: server.databaseUrl,
    REDIS_URL: redis.url,
    ...benchSecrets,
    METRICS_TOKEN,
    SENTRY_DSN: sentryDsn(sentry, "workerkey", 3),
    IMPORT_ATTEMPTS: "2",
    IMPORT_BACKOFF_MS: "50",
    FAULT_FAIL_IMPORT_SOURCE: "chaos",
  });
  const started = await waitFor("the worker to start", () =>
    Promise.resolve(worker.logs.find((line) => line.includes('"worker started"'))),
  );
  workerMetricsUrl = (JSON.parse(started) as { metrics: string }).metrics;
  user = await newUser(server.url);
}, 60_000);

afterAll(async () => {
  await worker.kill("SIGTERM");
  await server.close();
  await sentry.close();
  await redis.destroy();
});

async function scrape(url: string): Promise<string> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

async function importAndWait(requestId: string, key: string, source = "android") {
  const res = await http(server.url, "POST", "/v1/imports", {
    token: user.tokens.accessToken,
    headers: { "idempotency-key": key, "x-request-id": requestId },
    body: {
      source,
      defaultRegion: "KR",
      items: [{ email: "lee.minho@example.com" }, { phone: "010-2345-6789" }],
    },
  });
  expect(res.status).toBe(202);
  const id = ImportResponseSchema.parse(res.body).import.id;
  const final = await waitFor("the import to finish", async () => {
    const got = await http(server.url, "GET", `/v1/imports/${id}`, {
      token: user.tokens.accessToken,
    });
    const status = ImportResponseSchema.parse(got.body).import.status;
    return status === "completed" || status === "failed" ? status : null;
  });
  return { id, final };
}

const parsed = (lines: string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

/**
 * A process's JSON lines that `match`, once one of them says `message`. Services write stdout
 * asynchronously, so a line can land a moment after what it reports is visible over HTTP.
 */
const linesOnceLogged = (
  logs: string[],
  match: (line: Record<string, unknown>) => boolean,
  message: string,
) =>
  waitFor(
    `"${message}" in the log`,
    () => {
      const lines = parsed(logs).filter(match);
      return Promise.resolve(lines.some((line) => line.message === message) && lines);
    },
    10_000,
  );

describe("one request, API to worker", () => {
  it("carries the client's X-Request-ID onto every line the worker writes for the job", async () => {
    const requestId = "android-5f2c9e.42";
    const { id, final } = await importAndWait(requestId, "trace-1");
    expect(final).toBe("completed");

    const apiLines = await linesOnceLogged(
      server.process.logs,
      (line) => line.requestId === requestId,
      "request",
    );
    expect(apiLines).toContainEqual(
      expect.objectContaining({
        service: "api",
        message: "request",
        method: "POST",
        route: "/v1/imports",
        status: 202,
        userId: user.id,
      }),
    );
    const jobLines = await linesOnceLogged(
      worker.logs,
      (line) => line.importId === id,
      "import completed",
    );
    expect(jobLines.map((line) => line.message)).toEqual(["import processing", "import completed"]);
    for (const line of jobLines) {
      expect(line).toMatchObject({ service: "worker", requestId, level: "info" });
      expect(typeof line.time).toBe("string");
    }
    expect(jobLines[1]?.durationMs).toEqual(expect.any(Number));
  });

  it("exports job durations, outcomes and queue state on the worker's /metrics", async () => {
    expect((await fetch(workerMetricsUrl)).status).toBe(401);
    const text = await scrape(workerMetricsUrl);
    expect(text).toMatch(
      /^runway_import_jobs_total\{outcome="completed",service="worker"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^runway_import_job_duration_seconds_count\{(?=[^}]*outcome="completed")(?=[^}]*service="worker")[^}]*\} [1-9]/m,
    );
    expect(text).toMatch(/^runway_import_queue_jobs\{state="waiting",service="worker"\} 0$/m);
    expect(text).toMatch(/^runway_dependency_up\{dependency="redis",service="worker"\} 1$/m);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("reports an import that failed for good to Sentry, with its request id, without PII", async () => {
    const { id, final } = await importAndWait("android-chaos-7", "chaos-1", "chaos");
    expect(final).toBe("failed");
    await sentry.waitFor(1, 20_000);
    const body = sentry.received.map((r) => r.body).join("\n");
    expect(body).toContain('"requestId":"android-chaos-7"');
    expect(body).toContain(`"importId":"${id}"`);
    expect(body).toContain('"service":"worker"');
    for (const pii of ["lee.minho@example.com", "2345-6789"]) expect(body).not.toContain(pii);

    const failedLines = await linesOnceLogged(
      worker.logs,
      (line) => line.importId === id,
      "import failed for good; dead letter written",
    );
    expect(failedLines.every((line) => line.requestId === "android-chaos-7")).toBe(true);
    expect(failedLines.map((line) => line.message)).toContain(
      "import failed for good; dead letter written",
    );
    const admin = await adminTokens(server.url);
    const summary = await http(server.url, "GET", "/v1/admin/metrics", {
      token: admin.accessToken,
    });
    expect(summary.body).toMatchObject({ deadLetters: 1, queueDepth: 0 });
  });
});

/** Metric names a PromQL expression reads (labels, strings, ranges and functions removed). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const keywords = new Set(["and", "or", "unless", "offset", "bool", "inf", "nan"]);
  return [...stripped.matchAll(/\b[A-Za-z_:][A-Za-z0-9_:]*\b(?!\s*\()/g)]
    .map((m) => m[0])
    .filter((name) => !keywords.has(name.toLowerCase()));
}

describe("dashboards and rules", () => {
  it("query only metrics the API and the worker export (or rules record)", async () => {
    const exported = new Set<string>(["up"]);
    for (const text of [await scrape(`${server.url}/metrics`), await scrape(workerMetricsUrl)]) {
      for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        const [, name = "", type] = match;
        const suffixes =
          type === "histogram"
            ? ["_bucket", "_sum", "_count"]
            : type === "summary"
              ? ["", "_sum", "_count"]
              : [""];
        for (const suffix of suffixes) exported.add(name + suffix);
      }
    }
    const rules = parse(readFileSync(infra("prometheus/rules.yml"), "utf8")) as {
      groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
    };
    const all = rules.groups.flatMap((group) => group.rules);
    for (const rule of all) if (rule.record) exported.add(rule.record);
    interface Panel {
      title: string;
      targets?: { expr: string }[];
      panels?: Panel[];
    }
    const dashboard = JSON.parse(readFileSync(infra("grafana/runway-overview.json"), "utf8")) as {
      panels: Panel[];
    };
    // Rows may nest panels.
    const panels = (list: Panel[]): Panel[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);

    const queried = [
      ...all.map((rule) => ({ where: rule.record ?? rule.alert ?? "?", expr: rule.expr })),
      ...panels(dashboard.panels).flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({ where: panel.title, expr: target.expr })),
      ),
    ];
    expect(queried.length).toBeGreaterThan(30);
    const unknown = queried.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);

    // The dashboard shows what the issue asks for.
    const exprs = queried.map((q) => q.expr).join("\n");
    for (const needed of [
      "runway:http_request_duration_seconds:p95_5m",
      "runway:http_requests_5xx:ratio_rate5m",
      "runway:http_requests:rate5m",
      "runway_import_queue_jobs",
      "runway_import_queue_oldest_waiting_seconds",
      "runway_import_job_duration_seconds_bucket",
      "runway_dead_letters",
      "runway:auth_refresh_revoke_hit:ratio_rate1h",
    ]) {
      expect(exprs).toContain(needed);
    }
  });

  it("finds the names in a PromQL expression", () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/v1/.*"}[5m]))) > 0.5 and on() up == 0',
      ),
    ).toEqual(["http_request_duration_seconds_bucket", "up"]);
  });
});
