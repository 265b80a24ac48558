/**
 * `npm run bench:dashboard [-- --tenants N --runs R]`: how long the server takes to render the
 * dashboard's estate view for an estate of N tenants (default 10,000), from the status read model
 * already read: rows built from every tenant's state, sorted drifted-first, filtered, one page cut
 * and rendered to HTML, plus the 30-day chart counted from 30 snapshots per tenant. Storage reads
 * are left out (they are the store's, measured by `npm run bench`); the target is under 1 s.
 * Prints one JSON line per scenario: the first run and the median of the others, in milliseconds.
 */
import { Command, InvalidArgumentError } from "commander";
import { CHECK_IDS } from "../lib/checks/registry.js";
import type { CheckResult } from "../lib/model/report.js";
import type { TenantState } from "../lib/model/state.js";
import { registeredTenantSchema, type RegisteredTenant } from "../lib/model/tenant.js";
import type { EstateRead } from "../lib/status/read-model.js";
import { estatePage, estateQuerySchema, estateRows } from "../lib/status/estate-query.js";
import { estateDailyCounts, type SnapshotPoint } from "../lib/status/history.js";
import { estateHtml } from "../lib/dashboard/estate-page.js";

const NOW = new Date("2026-03-31T12:00:00.000Z");

const guid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

/** 10% drifted, 3% unknown, 2% late, 5% with a warning, the rest compliant. */
function kindOf(i: number): "drifted" | "unknown" | "late" | "warning" | "compliant" {
  const r = (i * 7919) % 100;
  return r < 10 ? "drifted" : r < 13 ? "unknown" : r < 15 ? "late" : r < 20 ? "warning" : "compliant";
}

function stateOf(i: number): TenantState {
  const kind = kindOf(i);
  const at = "2026-03-31T11:30:00.000Z";
  const checks: CheckResult[] = CHECK_IDS.map((id, n) => ({
    id,
    status: kind === "drifted" && n === i % CHECK_IDS.length ? "fail" : kind === "unknown" ? "unknown" : kind === "warning" && n === 5 ? "warn" : "pass",
    summary: `summary of ${id}`,
    evidence: ["evidence one", "evidence two"],
  }));
  const status = kind === "drifted" ? "drifted" : kind === "unknown" ? "unknown" : "compliant";
  return {
    schemaVersion: 2,
    tenantId: guid(i),
    version: 3,
    updatedAt: at,
    lastReport: {
      schemaVersion: 1,
      tenantId: guid(i),
      checkedAt: at,
      profile: "strict",
      account: { id: null, userPrincipalName: `svc@t${i}.example.com` },
      status,
      warnings: kind === "warning" ? 1 : 0,
      checks,
    },
    findings:
      kind === "drifted"
        ? [
            {
              key: `${CHECK_IDS[i % CHECK_IDS.length]}|`,
              checkId: CHECK_IDS[i % CHECK_IDS.length] ?? "account",
              subject: "",
              subjectName: null,
              status: "open",
              since: "2026-03-20T08:00:00.000Z",
              lastFailedAt: at,
              lastAlertedAt: at,
              lastHeard: "failing",
              resolvedAt: null,
              flaps: 0,
              summary: "failing",
            },
          ]
        : [],
    consecutiveUnknown: kind === "unknown" ? 2 : 0,
    unknownSince: kind === "unknown" ? "2026-03-30T08:00:00.000Z" : null,
    lateSince: kind === "late" ? "2026-03-31T10:00:00.000Z" : null,
    degradedAlertedAt: null,
    methods: null,
    factsDigest: "digest",
    lastSnapshotAt: at,
    lastSnapshotId: "1",
  };
}

function estate(n: number): { read: EstateRead; points: SnapshotPoint[] } {
  const tenants: RegisteredTenant[] = Array.from({ length: n }, (_, i) => registeredTenantSchema.parse({
    tenantId: guid(i),
    displayName: `Customer ${i.toString().padStart(5, "0")} Ltd`,
    account: `svc@t${i}.example.com`,
    accountObjectId: null,
    recipients: [],
    profile: i % 10 === 0 ? "relaxed" : "strict",
    enabled: true,
  }));
  const states = tenants.map((_, i) => stateOf(i));
  const points: SnapshotPoint[] = [];
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 30; d++) {
      points.push({
        tenantId: guid(i),
        takenAt: new Date(NOW.getTime() - d * 86_400_000).toISOString(),
        status: d < 3 ? (states[i]?.lastReport.status ?? "compliant") : "compliant",
      });
    }
  }
  return {
    read: {
      tenants,
      stateOf: new Map(states.map((s) => [s.tenantId, s])),
      unreadableStateOf: new Map(),
      deadLetteredOf: new Map(),
      deadLetteredCount: 0,
      unreadable: [],
    },
    points,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function time(run: () => number): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

function main(o: { tenants: number; runs: number }): void {
  const { read, points } = estate(o.tenants);
  const scenarios: Record<string, Record<string, string>> = {
    "first page": {},
    "drifted, page 2": { status: "drifted", page: "2" },
    search: { q: "customer 0999" },
    "check filter, 200 a page": { check: "conditional-access", size: "200" },
  };
  const chart = () => estateDailyCounts(points, 30, NOW).length;
  for (const [name, q] of Object.entries(scenarios)) {
    const query = estateQuerySchema.parse(q);
    const render = () =>
      estateHtml({
        base: "/api/dashboard",
        query,
        page: estatePage(estateRows(read), query),
        readAt: new Date().toISOString(),
        chart: [],
        nextRun: null,
        deadLettered: 0,
        unreadableRows: 0,
      }).length;
    const first = time(render);
    const rest = Array.from({ length: o.runs }, () => time(render));
    console.log(
      JSON.stringify({ scenario: `estate view: ${name}`, tenants: o.tenants, firstMs: Math.round(first), medianMs: Math.round(median(rest)), bytes: render() }),
    );
  }
  const first = time(chart);
  const rest = Array.from({ length: Math.min(o.runs, 5) }, () => time(chart));
  console.log(
    JSON.stringify({
      scenario: "30-day chart (cached for 5 minutes)",
      tenants: o.tenants,
      snapshots: points.length,
      firstMs: Math.round(first),
      medianMs: Math.round(median(rest)),
    }),
  );
}

const whole = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return n;
};

const program = new Command("bench:dashboard")
  .option("--tenants <n>", "tenants in the estate", whole, 10_000)
  .option("--runs <n>", "timed runs after the first", whole, 20)
  .action((o: { tenants: number; runs: number }) => main(o));
program.parse();
