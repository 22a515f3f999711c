import type { Series } from "./series";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c"];
const W = 560;
const H = 220;
const PAD = { left: 52, right: 12, top: 36, bottom: 30 };

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

const fmt = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100));

/**
 * A line chart as inline SVG: no script, no external asset, so the report is one file.
 * Gaps (null) break the line. `marks` draws vertical lines (stage boundaries) at x.
 */
export function lineChart(
  title: string,
  series: Series[],
  options: { unit?: string; marks?: { x: number; label: string }[]; percent?: boolean } = {},
): string {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y ?? 0));
  const xMax = Math.max(1, ...xs);
  const yMax = niceMax(Math.max(0, ...ys) * (options.percent ? 100 : 1));
  const sx = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
  const scale = options.percent ? 100 : 1;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = sy(yMax * f);
      return `<line x1="${String(PAD.left)}" x2="${String(W - PAD.right)}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e7eb"/><text x="${String(PAD.left - 6)}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#6b7280">${fmt(yMax * f)}</text>`;
    })
    .join("");
  const xTicks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<text x="${sx(xMax * f).toFixed(1)}" y="${String(H - 10)}" text-anchor="middle" font-size="10" fill="#6b7280">${String(Math.round(xMax * f))} s</text>`,
    )
    .join("");
  const marks = (options.marks ?? [])
    .map(
      (m) =>
        `<line x1="${sx(m.x).toFixed(1)}" x2="${sx(m.x).toFixed(1)}" y1="${String(PAD.top)}" y2="${String(H - PAD.bottom)}" stroke="#9ca3af" stroke-dasharray="3 3"><title>${escapeHtml(m.label)}</title></line>`,
    )
    .join("");
  const lines = series
    .map((s, i) => {
      const color = COLORS[i % COLORS.length] ?? "#000";
      let d = "";
      let pen = false;
      for (const p of s.points) {
        if (p.y === null) {
          pen = false;
          continue;
        }
        d += `${pen ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y * scale).toFixed(1)}`;
        pen = true;
      }
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>`;
    })
    .join("");
  const legend = series
    .map(
      (s, i) =>
        `<tspan fill="${COLORS[i % COLORS.length] ?? "#000"}">■ ${escapeHtml(s.name)}</tspan>`,
    )
    .join("  ");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${String(W)} ${String(H)}" width="${String(W)}" height="${String(H)}" role="img" aria-label="${escapeHtml(title)}">
<text x="${String(PAD.left)}" y="14" font-size="12" font-weight="600" fill="#111827">${escapeHtml(title)}${options.unit ? ` (${escapeHtml(options.unit)})` : ""}</text>
<text x="${String(PAD.left)}" y="28" font-size="10" xml:space="preserve">${legend}</text>
${grid}${xTicks}${marks}${lines}</svg>`;
}
