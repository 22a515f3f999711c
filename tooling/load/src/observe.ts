/** One scrape of the services' /metrics during a run. */
export interface Scrape {
  t: number;
  queueWaiting: number | null;
  queueActive: number | null;
  oldestWaitS: number | null;
  apiCpu: number | null;
  apiRssMb: number | null;
  workerCpu: number | null;
  workerRssMb: number | null;
}

/** The value of one series in Prometheus text (first match of `name{...labels}`), or null. */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | null {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name) continue;
    const set = match[2] ?? "";
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) {
      const value = Number(match[3]);
      return Number.isFinite(value) ? value : null;
    }
  }
  return null;
}

async function get(url: string | null, token: string | null): Promise<string | null> {
  if (!url) return null;
  try {
    const res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}

/**
 * Scrapes the API's /metrics (queue depth, oldest wait, its CPU and RSS) and the worker's
 * (its CPU and RSS; same METRICS_TOKEN) every `everyMs` until stopped. CPU is a share of one core over the interval.
 */
export function startScraper(
  source: { apiMetrics: string; workerMetrics: string | null; metricsToken: string | null },
  t0: number,
  everyMs = 2000,
) {
  const scrapes: Scrape[] = [];
  let last: { t: number; api: number | null; worker: number | null } | null = null;
  const tick = async () => {
    const [api, worker] = await Promise.all([
      get(source.apiMetrics, source.metricsToken),
      get(source.workerMetrics, source.metricsToken),
    ]);
    const t = performance.now() - t0;
    const apiCpuS = api ? metricValue(api, "process_cpu_seconds_total") : null;
    const workerCpuS = worker ? metricValue(worker, "process_cpu_seconds_total") : null;
    const share = (now: number | null, before: number | null | undefined) =>
      now !== null && before != null && last ? (now - before) / ((t - last.t) / 1000) : null;
    const mb = (text: string | null) => {
      const bytes = text ? metricValue(text, "process_resident_memory_bytes") : null;
      return bytes === null ? null : bytes / 1024 / 1024;
    };
    scrapes.push({
      t: Math.round(t),
      queueWaiting: api ? metricValue(api, "runway_import_queue_jobs", { state: "waiting" }) : null,
      queueActive: api ? metricValue(api, "runway_import_queue_jobs", { state: "active" }) : null,
      oldestWaitS: api ? metricValue(api, "runway_import_queue_oldest_waiting_seconds") : null,
      apiCpu: share(apiCpuS, last?.api),
      apiRssMb: mb(api),
      workerCpu: share(workerCpuS, last?.worker),
      workerRssMb: mb(worker),
    });
    last = { t, api: apiCpuS, worker: workerCpuS };
  };
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      await tick();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    scrapes,
    async stop() {
      state.running = false;
      await loop;
    },
  };
}
