import type { Gauges, MetricsWindow, Snapshot, TrafficSummary } from "./window";
import { trafficBetween } from "./window";

export interface HistoryPoint {
  at: number;
  traffic: TrafficSummary;
  gauges: Gauges;
}

/**
 * Thins snapshots (oldest first) to at most one per `stepMs` and turns each consecutive pair
 * into a point: the traffic between them and the gauges of the later one. The newest snapshot
 * is always kept, so the last point is "now".
 */
export function historyPoints(snapshots: Snapshot[], stepMs: number): HistoryPoint[] {
  const newest = snapshots.at(-1);
  if (!newest) return [];
  const kept: Snapshot[] = [];
  for (const snapshot of snapshots.slice(0, -1)) {
    const previous = kept.at(-1);
    if (!previous || snapshot.at - previous.at >= stepMs) kept.push(snapshot);
  }
  kept.push(newest);
  const points: HistoryPoint[] = [];
  for (let i = 1; i < kept.length; i++) {
    const base = kept[i - 1];
    const current = kept[i];
    if (!base || !current) continue;
    points.push({ at: current.at, traffic: trafficBetween(base, current), gauges: current.gauges });
  }
  return points;
}

/** At most `maxPoints` points spanning the last `minutes` of this process's window. */
export async function metricsHistory(
  window: MetricsWindow,
  minutes: number,
  maxPoints = 180,
): Promise<{ stepMs: number; points: HistoryPoint[] }> {
  const windowMs = minutes * 60_000;
  const stepMs = Math.max(5_000, Math.floor(windowMs / maxPoints));
  return { stepMs, points: historyPoints(await window.recent(windowMs), stepMs) };
}
