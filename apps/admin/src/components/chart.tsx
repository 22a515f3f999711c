import { useEffect, useRef } from "react";
import uPlot from "uplot";

import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/** A small uPlot line chart; its figures are also listed for screen readers. */
export function LineChart({
  title,
  times,
  series,
  format,
}: {
  title: string;
  times: number[];
  series: Series[];
  format: (value: number | null) => string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = series.map((s) => s.label).join("|");

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = () => Math.max(240, element.clientWidth);
    const options: uPlot.Options = {
      width: width(),
      height: 180,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [{}, { values: (_u, ticks) => ticks.map((tick) => format(tick)), size: 64 }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          spanGaps: true,
          value: (_u: uPlot, v: number | null) => format(v),
        })),
      ],
    };
    const instance = new uPlot(options, [times, ...series.map((s) => s.values)], element);
    plot.current = instance;
    const observer = new ResizeObserver(() => {
      instance.setSize({ width: width(), height: 180 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; new data goes through setData below.
  }, [labels]);

  useEffect(() => {
    plot.current?.setData([times, ...series.map((s) => s.values)]);
  }, [times, series]);

  const latest = series.map((s) => `${s.label} ${format(s.values.at(-1) ?? null)}`).join(", ");
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={container} className="chart-canvas" aria-hidden="true" />
      <p className="visually-hidden">
        {times.length} points; latest: {latest}
      </p>
    </figure>
  );
}
