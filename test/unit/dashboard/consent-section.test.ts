/** The estate page's consent section: nothing when no tenant lacks a permission; else the count, per permission how many, each tenant with its fix. */
import { describe, expect, it } from "vitest";
import { estateHtml } from "../../../lib/dashboard/estate-page.js";
import { estatePage, estateQuerySchema } from "../../../lib/status/estate-query.js";
import type { ConsentLine } from "../../../lib/status/consent.js";

function page(consent: readonly ConsentLine[]): string {
  const query = estateQuerySchema.parse({});
  return estateHtml({
    base: "/api/dashboard",
    query,
    page: estatePage([], query),
    readAt: "2026-03-02T08:00:00.000Z",
    chart: [],
    nextRun: null,
    deadLettered: 0,
    unreadableRows: 0,
    consent,
  });
}

const line = (i: number, missing: string[]): ConsentLine => ({
  tenantId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  displayName: `<Tenant ${i}>`,
  missing,
});

describe("estate page: consent", () => {
  it.each([
    { name: "none lacking", lines: [], has: [], hasNot: ["Consent:"] },
    {
      name: "two lacking Domain.Read.All, one also Application.Read.All",
      lines: [line(1, ["Domain.Read.All"]), line(2, ["Domain.Read.All", "Application.Read.All"])],
      has: [
        "Consent: 2 tenants lacking permissions",
        "2 tenants need Domain.Read.All granted",
        "1 tenant needs Application.Read.All granted",
        "drift-monitor tenants consent --tenant 00000000-0000-4000-8000-000000000002",
        "&lt;Tenant 1&gt;",
        'href="/api/dashboard/tenants/00000000-0000-4000-8000-000000000001"',
      ],
      hasNot: ["doctor --all</code> lists them all"],
    },
    {
      name: "more than the page shows: the rest named by doctor --all",
      lines: Array.from({ length: 25 }, (_, i) => line(i, ["Domain.Read.All"])),
      has: ["And 5 more", "25 tenants need Domain.Read.All granted"],
      hasNot: [],
    },
  ])("$name", ({ lines, has, hasNot }) => {
    const html = page(lines);
    for (const h of has) expect(html).toContain(h);
    for (const h of hasNot) expect(html).not.toContain(h);
  });
});
