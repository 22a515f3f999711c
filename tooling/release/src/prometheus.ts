import type { TrackSample } from "./canary";

/** User traffic of the API only, as in infra/prometheus/rules.yml. */
const USER_TRAFFIC = 'service="api",route=~"/v1/.*|/trpc/.*"';

/** The PromQL the analysis runs, per track, over `window` (a Prometheus duration like 10m). */
export function canaryQueries(window: string) {
  return {
    requests: `sum by (track) (increase(http_requests_total{${USER_TRAFFIC}}[${window}]))`,
    errors: `sum by (track) (increase(http_requests_total{${USER_TRAFFIC},status=~"5.."}[${window}]))`,
    p95: `histogram_quantile(0.95, sum by (le, track) (rate(http_request_duration_seconds_bucket{${USER_TRAFFIC}}[${window}])))`,
  };
}

interface VectorResponse {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
}

/** One instant query: track -> value. */
export async function queryByTrack(
  prometheus: string,
  query: string,
): Promise<Map<string, number>> {
  const url = new URL("api/v1/query", prometheus.endsWith("/") ? prometheus : `${prometheus}/`);
  url.searchParams.set("query", query);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json().catch(() => null)) as VectorResponse | null;
  if (!response.ok || body?.status !== "success" || body.data?.resultType !== "vector") {
    throw new Error(
      `Prometheus query failed (HTTP ${response.status}): ${body?.error ?? "unexpected answer"}`,
    );
  }
  const values = new Map<string, number>();
  for (const sample of body.data.result) {
    const track = sample.metric.track;
    if (track !== undefined) values.set(track, Number(sample.value[1]));
  }
  return values;
}

/** Requests, 5xx ratio and p95 of each track seen in the window. */
export async function sampleTracks(
  prometheus: string,
  window: string,
): Promise<Map<string, TrackSample>> {
  const queries = canaryQueries(window);
  const [requests, errors, p95] = await Promise.all([
    queryByTrack(prometheus, queries.requests),
    queryByTrack(prometheus, queries.errors),
    queryByTrack(prometheus, queries.p95),
  ]);
  const samples = new Map<string, TrackSample>();
  for (const [track, count] of requests) {
    const latency = p95.get(track);
    samples.set(track, {
      requests: count,
      errorRatio: count > 0 ? (errors.get(track) ?? 0) / count : 0,
      p95Seconds: latency === undefined || Number.isNaN(latency) ? null : latency,
    });
  }
  return samples;
}
