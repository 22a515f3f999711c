import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useMemo } from "react";

import type { RouterOutputs } from "../lib/api-types";
import { LineChart } from "../components/chart";
import { ErrorBox, Loading } from "../components/status";
import { formatAgo, formatCount, formatRatio, formatSeconds, formatSpan } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { useNow } from "../lib/use-now";
import { overviewRoute } from "../routes";

const route = overviewRoute;
const REFRESH_MS = 10_000;

type Summary = RouterOutputs["admin"]["metrics"]["summary"];
type History = RouterOutputs["admin"]["metrics"]["history"];

function Tiles({ summary }: { summary: Summary }) {
  const tiles: [string, string, string?][] = [
    ["Latency p50", formatSeconds(summary.latencyP50Seconds)],
    ["Latency p95", formatSeconds(summary.latencyP95Seconds)],
    ["4xx ratio", formatRatio(summary.clientErrorRatio)],
    ["5xx ratio", formatRatio(summary.serverErrorRatio)],
    ["Queue depth", formatCount(summary.queueDepth)],
    ["Oldest wait", formatSeconds(summary.oldestWaitingAgeSeconds)],
    ["Job p95", formatSeconds(summary.jobTimeP95Seconds), "imports created in the last hour"],
    ["Dead letters", formatCount(summary.deadLetters)],
    ["Revoke hit rate", formatRatio(summary.revokeHitRate), "refreshes of revoked sessions"],
    ["Requests", formatCount(summary.requests), `last ${formatSpan(summary.windowSeconds)}`],
  ];
  return (
    <dl className="tiles" aria-label="Current figures">
      {tiles.map(([label, value, hint]) => (
        <div key={label} className="tile">
          <dt>{label}</dt>
          <dd>
            <span className="tile-value">{value}</span>
            {hint ? <span className="tile-hint">{hint}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Charts({ history }: { history: History }) {
  const data = useMemo(() => {
    const times = history.points.map((p) => Date.parse(p.at) / 1000);
    const pick = (key: keyof History["points"][number]) =>
      history.points.map((p) => {
        const value = p[key];
        return typeof value === "number" ? value : null;
      });
    return {
      times,
      latency: [
        { label: "p50", values: pick("latencyP50Seconds"), color: "#2563eb" },
        { label: "p95", values: pick("latencyP95Seconds"), color: "#b45309" },
      ],
      errors: [
        { label: "4xx", values: pick("clientErrorRatio"), color: "#b45309" },
        { label: "5xx", values: pick("serverErrorRatio"), color: "#b91c1c" },
      ],
      queue: [
        { label: "queue depth", values: pick("queueDepth"), color: "#2563eb" },
        { label: "dead letters", values: pick("deadLetters"), color: "#b91c1c" },
      ],
      requests: [{ label: "requests", values: pick("requests"), color: "#047857" }],
    };
  }, [history]);
  if (history.points.length < 2) {
    return <p className="empty">Charts fill in as this API replica samples its figures.</p>;
  }
  return (
    <div className="charts">
      <LineChart title="Latency" times={data.times} series={data.latency} format={formatSeconds} />
      <LineChart
        title="Error ratios"
        times={data.times}
        series={data.errors}
        format={formatRatio}
      />
      <LineChart title="Queue" times={data.times} series={data.queue} format={formatCount} />
      <LineChart
        title="Requests per point"
        times={data.times}
        series={data.requests}
        format={formatCount}
      />
    </div>
  );
}

export function OverviewScreen() {
  const trpc = useTRPC();
  const search = route.useSearch();
  const navigate = useNavigate();
  const minutes = search.minutes ?? 15;
  const now = useNow();
  const summary = useQuery({
    ...trpc.admin.metrics.summary.queryOptions(),
    refetchInterval: REFRESH_MS,
  });
  const history = useQuery({
    ...trpc.admin.metrics.history.queryOptions({ minutes }),
    refetchInterval: REFRESH_MS,
  });
  const updatedAt = Math.min(summary.dataUpdatedAt || now, history.dataUpdatedAt || now);

  return (
    <section aria-labelledby="overview-title">
      <div className="screen-head">
        <h1 id="overview-title">Overview</h1>
        <p className="muted" aria-live="off">
          {summary.data ? `Updated ${formatAgo(updatedAt, now)}` : null}
          {summary.isFetching || history.isFetching ? " · refreshing" : null}
        </p>
      </div>
      {summary.error ? <ErrorBox error={summary.error} /> : null}
      {summary.data ? <Tiles summary={summary.data} /> : summary.isPending ? <Loading /> : null}
      <div className="screen-head">
        <h2>Last {minutes} minutes</h2>
        <label className="inline">
          Range{" "}
          <select
            value={minutes}
            onChange={(event) => {
              const value = Number(event.target.value) as 15 | 30 | 60;
              void navigate({ to: "/", search: { minutes: value === 15 ? undefined : value } });
            }}
          >
            <option value={15}>15 minutes</option>
            <option value={30}>30 minutes</option>
            <option value={60}>60 minutes</option>
          </select>
        </label>
      </div>
      {history.error ? <ErrorBox error={history.error} /> : null}
      {history.data ? <Charts history={history.data} /> : history.isPending ? <Loading /> : null}
    </section>
  );
}
