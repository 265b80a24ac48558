/**
 * The estate's 30-day chart: compliant, drifted and unknown tenants per day as three lines, an
 * SVG drawn on the server (no chart library, no script; colours are presentation attributes, not
 * inline styles, so the page's CSP holds). Pure.
 */
import type { DayCounts } from "../status/history.js";
import { html, type Html } from "./html.js";

const W = 720;
const H = 160;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };
const SERIES = [
  { key: "compliant", colour: "#1a7f37" },
  { key: "drifted", colour: "#b42318" },
  { key: "unknown", colour: "#8a5a00" },
] as const;

export function estateChart(days: readonly DayCounts[]): Html {
  if (days.length === 0) return html``;
  const max = Math.max(1, ...days.map((d) => Math.max(d.compliant, d.drifted, d.unknown)));
  const x = (i: number) => PAD.left + (days.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (days.length - 1));
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  const last = days[days.length - 1];
  const label = last
    ? `Tenants per day over the last ${days.length} days; today ${last.compliant} compliant, ${last.drifted} drifted, ${last.unknown} unknown`
    : "";
  const lines = SERIES.map(
    (s) =>
      html`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${days.map((d, i) => `${x(i).toFixed(1)},${y(d[s.key]).toFixed(1)}`).join(" ")}"
        ><title>${s.key}</title></polyline
      >`,
  );
  const ticks = [0, Math.round(max / 2), max].map(
    (v) =>
      html`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="10" fill="#57606a">${v}</text>
        <line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#d0d7de" stroke-width="1" />`,
  );
  const first = days[0];
  return html`<figure class="chart">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}">
      <title>${label}</title>
      ${ticks}${lines}
      <text x="${PAD.left}" y="${H - 6}" font-size="10" fill="#57606a">${first?.day}</text>
      <text x="${W - PAD.right}" y="${H - 6}" text-anchor="end" font-size="10" fill="#57606a">${last?.day}</text>
    </svg>
    <figcaption class="legend">${SERIES.map((s) => html`<span><span class="swatch swatch-${s.key}"></span>${s.key}</span>`)}</figcaption>
  </figure>`;
}
