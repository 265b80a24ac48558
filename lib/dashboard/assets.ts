/**
 * The dashboard's stylesheet and its one script, served by the dashboard function itself
 * (`/api/dashboard/assets/...`) so the pages' Content-Security-Policy can be `'self'` with no
 * inline script or style. The self-contained report inlines the stylesheet under a hash instead.
 */
export const DASHBOARD_CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --drifted: #b42318; --unknown: #8a5a00; --compliant: #1a7f37; --late: #6f42c1; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 12px 24px; border-bottom: 1px solid var(--line); display: flex; gap: 16px; align-items: baseline; }
header.top a { color: inherit; text-decoration: none; font-weight: 600; }
main { padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 17px; margin: 28px 0 8px; }
a { color: #0550ae; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; padding: 0; list-style: none; }
.counts a { display: block; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; text-decoration: none; color: var(--fg); min-width: 110px; }
.counts a strong { display: block; font-size: 20px; }
.counts a[aria-current="true"] { border-color: #0550ae; outline: 2px solid #0550ae; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0 12px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
input, select, button { font: inherit; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); }
button { cursor: pointer; background: #f6f8fa; }
button.primary { background: #0550ae; color: #fff; border-color: #0550ae; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
.status { font-weight: 600; white-space: nowrap; }
.status-drifted, .status-fail { color: var(--drifted); }
.status-unknown, .status-unreadable, .status-warn { color: var(--unknown); }
.severity { font-size: 0.8em; font-weight: normal; border: 1px solid currentColor; border-radius: 4px; padding: 0 4px; margin-left: 4px; }
.status-compliant, .status-pass { color: var(--compliant); }
.status-late { color: var(--late); }
.muted { color: var(--muted); }
.pager { display: flex; gap: 12px; align-items: center; margin: 12px 0; }
.chart { margin: 8px 0 16px; } .chart svg { max-width: 100%; height: auto; }
.legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.swatch-compliant { background: var(--compliant); } .swatch-drifted { background: var(--drifted); } .swatch-unknown { background: var(--unknown); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
section.check { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
section.check h3 { font-size: 15px; margin: 4px 0; }
ol.steps, ul.evidence { margin: 4px 0 4px 20px; padding: 0; }
.notice { padding: 8px 12px; border: 1px solid var(--line); border-left: 4px solid #0550ae; margin: 8px 0; }
.error { border-left-color: var(--drifted); }
time { white-space: nowrap; }
code, .id { font-family: ui-monospace, SFMono-Regular, Consolas, monospace; font-size: 12px; }
`;

/**
 * The little behaviour the pages have: the estate's filters apply as soon as one changes, and the
 * check-now button says it is working. Everything works without it (plain forms and links).
 */
export const DASHBOARD_JS = `
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.filters select").forEach(function (el) {
    el.addEventListener("change", function () { if (el.form) el.form.requestSubmit(); });
  });
  document.querySelectorAll("form.check-now").forEach(function (form) {
    form.addEventListener("submit", function () {
      var b = form.querySelector("button");
      if (b) { b.disabled = true; b.textContent = "Queuing…"; }
    });
  });
});
`;
