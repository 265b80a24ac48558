/** The estate's rows, order, filters, search and paging (lib/status/estate-query.ts): pure, table-driven. */
import { describe, expect, it } from "vitest";
import { byAttention, countRows, estatePage, estateQuerySchema, type EstateRow } from "../../../lib/status/estate-query.js";

function row(name: string, over: Partial<EstateRow> = {}): EstateRow {
  return {
    tenantId: `00000000-0000-4000-8000-${String(name.length).padStart(12, "0")}`,
    displayName: name,
    domain: `${name.toLowerCase().replace(/\s/g, "")}.example.com`,
    profiles: ["strict"],
    accounts: [{ key: "", ref: `svc@${name.toLowerCase().replace(/\s/g, "")}.example.com`, kind: "connection", status: over.status ?? "compliant" }],
    enabled: true,
    status: "compliant",
    lateSince: null,
    warnings: 0,
    failingChecks: [],
    attentionChecks: [],
    openFindings: 0,
    since: null,
    lastChecked: "2026-03-02T08:00:00.000Z",
    deadLettered: 0,
    ...over,
  };
}

const ROWS: EstateRow[] = [
  row("Zeta compliant"),
  row("Alpha compliant"),
  row("Warned", { warnings: 2, attentionChecks: ["mfa-registration"] }),
  row("Late", { lateSince: "2026-03-02T07:00:00.000Z" }),
  row("Unreadable", { status: "unreadable" }),
  row("Unknown", { status: "unknown", failingChecks: ["sign-ins"], attentionChecks: ["sign-ins"] }),
  row("New", { status: "not-checked", profiles: ["relaxed"] }),
  row("Drifted B", { status: "drifted", failingChecks: ["conditional-access"], attentionChecks: ["conditional-access"], openFindings: 1 }),
  row("Drifted A", { status: "drifted", failingChecks: ["security-defaults"], attentionChecks: ["security-defaults"], openFindings: 1 }),
];

const names = (rows: readonly EstateRow[]) => rows.map((r) => r.displayName);
const query = (q: Record<string, string> = {}) => estateQuerySchema.parse(q);

describe("estate order", () => {
  it("drifted, then unknown and unreadable, late, warning, not checked, compliant; by name within each", () => {
    expect(names([...ROWS].sort(byAttention))).toEqual([
      "Drifted A",
      "Drifted B",
      "Unknown",
      "Unreadable",
      "Late",
      "Warned",
      "New",
      "Alpha compliant",
      "Zeta compliant",
    ]);
  });
});

describe("filters and search", () => {
  it.each([
    [{ status: "drifted" }, ["Drifted A", "Drifted B"]],
    [{ status: "late" }, ["Late"]],
    [{ status: "warning" }, ["Warned"]],
    [{ status: "not-checked" }, ["New"]],
    [{ check: "conditional-access" }, ["Drifted B"]],
    [{ check: "mfa-registration" }, ["Warned"]],
    [{ profile: "relaxed" }, ["New"]],
    [{ q: "DRIFTED a" }, ["Drifted A"]],
    [{ q: "warned.example" }, ["Warned"]],
    [{ q: "-000000000004" }, ["Late"]],
    [{ status: "compliant", q: "zeta" }, ["Zeta compliant"]],
  ])("%j → %j", (q, expected) => {
    expect(names(estatePage(ROWS, query(q)).rows)).toEqual(expected);
  });

  it("counts every status over the whole estate, whatever the filter", () => {
    const counts = estatePage(ROWS, query({ status: "drifted" })).counts;
    expect(counts).toEqual(countRows(ROWS));
    expect(counts).toMatchObject({ total: 9, drifted: 2, unknown: 1, unreadable: 1, late: 1, warning: 1, "not-checked": 1, compliant: 4 });
  });

  it.each([{ status: "green" }, { check: "nope" }, { page: "0" }, { size: "7" }, { q: "x".repeat(201) }])("refuses %j with what is allowed", (q) => {
    expect(estateQuerySchema.safeParse(q).success).toBe(false);
  });
});

describe("paging", () => {
  const many = Array.from({ length: 10_000 }, (_, i) => row(`Tenant ${String(i).padStart(5, "0")}`, { tenantId: `t-${i}` }));

  it("cuts the sorted estate into pages and clamps a page past the end", () => {
    const first = estatePage(many, query({ size: "100" }));
    expect(first).toMatchObject({ matching: 10_000, page: 1, pages: 100 });
    expect(first.rows).toHaveLength(100);
    expect(first.rows[0]?.displayName).toBe("Tenant 00000");
    const last = estatePage(many, query({ size: "100", page: "500" }));
    expect(last.page).toBe(100);
    expect(last.rows[99]?.displayName).toBe("Tenant 09999");
  });

  it("an empty estate is one empty page", () => {
    expect(estatePage([], query())).toMatchObject({ matching: 0, page: 1, pages: 1, rows: [] });
  });
});
