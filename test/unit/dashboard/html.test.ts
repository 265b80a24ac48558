/** The dashboard's markup: every interpolated value escaped (hostile names as text), the chart and pages well-formed, the CSRF rule. Pure. */
import { describe, expect, it } from "vitest";
import { html, queryString, trusted } from "../../../lib/dashboard/html.js";
import { estateChart } from "../../../lib/dashboard/chart.js";
import { csrfProblem } from "../../../lib/dashboard/access.js";

describe("html``", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['" onmouseover="x', "&quot; onmouseover=&quot;x"],
    ["it's & co", "it&#39;s &amp; co"],
    ["\u202Egnp.exe", "&lt;U+202E&gt;gnp.exe"],
    ["\x1b]0;title\x07", "\\x1B]0;title\\x07"],
  ])("escapes %j", (value, shown) => {
    expect(html`<td title="${value}">${value}</td>`.value).toBe(`<td title="${shown}">${shown}</td>`);
  });

  it("passes nested templates and trusted markup whole, arrays joined, null and false as nothing", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`${inner}${[html`<br />`, "&"]}${null}${false}${trusted("<hr>")}`.value).toBe("<b>&lt;i&gt;</b><br />&amp;<hr>");
  });

  it("queryString percent-encodes and leaves out empty values", () => {
    expect(queryString({ q: "a&b=c", status: undefined, check: "", page: 2 })).toBe("?q=a%26b%3Dc&page=2");
    expect(queryString({})).toBe("");
  });
});

describe("estateChart", () => {
  it("draws three lines over the days, labelled for screen readers", () => {
    const svg = estateChart([
      { day: "2026-03-01", compliant: 3, drifted: 1, unknown: 0 },
      { day: "2026-03-02", compliant: 2, drifted: 2, unknown: 1 },
    ]).value;
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('aria-label="Tenants per day over the last 2 days; today 2 compliant, 2 drifted, 1 unknown"');
    expect(svg).not.toMatch(/style=/);
  });
});

describe("access", () => {
  const headers = (h: Record<string, string>) => (n: string) => h[n] ?? null;
  it.each([
    [{ origin: "https://a.example", cookie: "dm_csrf=tok" }, "tok", null],
    [{ "sec-fetch-site": "same-origin", cookie: "dm_csrf=tok" }, "tok", null],
    [{ cookie: "dm_csrf=tok" }, "tok", "no Origin"],
    [{ "sec-fetch-site": "cross-site", cookie: "dm_csrf=tok" }, "tok", "no Origin"],
    [{ origin: "https://b.example", cookie: "dm_csrf=tok" }, "tok", "cross-origin"],
    [{ origin: "https://a.example", cookie: "dm_csrf=tok" }, "tak", "CSRF token"],
    [{ origin: "https://a.example" }, "tok", "CSRF token"],
    [{ origin: "https://a.example", cookie: "dm_csrf=tok" }, undefined, "CSRF token"],
    // As long as the cookie's token in characters but not in bytes: refused, not thrown (timingSafeEqual wants equal byte lengths).
    [{ origin: "https://a.example", cookie: "dm_csrf=tok" }, "tök", "CSRF token"],
    [{ origin: "https://a.example", cookie: "dm_csrf=tök" }, "tok", "CSRF token"],
  ])("csrf %j with form token %s → %s", (h, formToken, problem) => {
    const r = csrfProblem({ header: headers(h), origin: "https://a.example", formToken });
    if (problem === null) expect(r).toBeNull();
    else expect(r).toContain(problem);
  });
});
