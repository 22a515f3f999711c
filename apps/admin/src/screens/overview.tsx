import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useMemo } from "react";

import type { Tile } from "../components/tiles";
import type { RouterOutputs } from "../lib/api-types";
import { LineChart } from "../components/chart";
import { ErrorBox, Loading } from "../components/status";
import { Tiles } from "../components/tiles";
import { formatAgo, formatCount, formatRatio, formatSeconds, formatSpan } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { useNow } from "../lib/use-now";
import { overviewRoute } from "../routes";

const route = overviewRoute;
const REFRESH_MS = 10_000;

type Summary = RouterOutputs["admin"]["metrics"]["summary"];
type History = RouterOutputs["admin"]["metrics"]["history"];

function SummaryTiles({ summary }: { summary: Summary }) {
  const tiles: Tile[] = [
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
  return <Tiles label="Current figures" tiles={tiles} />;
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
      {(
        [
          ["Latency", data.latency, formatSeconds],
          ["Error ratios", data.errors, formatRatio],
          ["Queue", data.queue, formatCount],
          ["Requests per point", data.requests, formatCount],
        ] as const
      ).map(([title, series, format]) => (
        <LineChart key={title} title={title} times={data.times} series={series} format={format} />
      ))}
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
      {summary.data ? (
        <SummaryTiles summary={summary.data} />
      ) : summary.isPending ? (
        <Loading />
      ) : null}
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
