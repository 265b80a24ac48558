/**
 * Reads what each view shows through the dashboard's deps and hands it to the pure renderers
 * (lib/dashboard). The estate comes from the status read model like the API's list; its 30-day
 * chart from every tenant's snapshot metadata (one query, kept for a few minutes: it changes
 * slowly and is the one read that grows with history).
 *
 * The estate's rows are kept for 30 s too: the read is every registration, every state row and
 * every dead letter (at 10,000 tenants some 20,000 entities in pages of 1,000), and the pages,
 * filters and searches an operator clicks through in a minute all want the same read. The page
 * says when it was read. A tenant's own page is always read afresh.
 */
import { diffSnapshots } from "../../lib/drift/history.js";
import { failingFindings } from "../../lib/drift/observe.js";
import { standingOf, type Standings } from "../../lib/drift/standing.js";
import { ESTATE_SCOPE } from "../../lib/model/standing.js";
import type { TenantState } from "../../lib/model/state.js";
import { auditTrail } from "../../lib/standings/operate.js";
import type { EstateQuery } from "../../lib/status/estate-query.js";
import { estatePage, estateRows, type EstateRow } from "../../lib/status/estate-query.js";
import { estateDailyCounts, tenantTimeline, type DayCounts } from "../../lib/status/history.js";
import { readEstate, readTenant, type AccountRead } from "../../lib/status/read-model.js";
import { monitorPartition } from "../../lib/model/account.js";
import { consentLines, type ConsentLine } from "../../lib/status/consent.js";
import { deadLetterView } from "../../lib/status/views.js";
import type { EstateView } from "../../lib/dashboard/estate-page.js";
import type { AccountView, TenantView } from "../../lib/dashboard/tenant-page.js";
import type { DashboardDeps } from "./deps.js";

const CHART_DAYS = 30;
const CHART_TTL_MS = 5 * 60_000;
const ESTATE_TTL_MS = 30_000;
const SNAPSHOT_CHOICES = 100;

const chartCache = new WeakMap<DashboardDeps, { at: number; days: DayCounts[] }>();

async function chart(deps: DashboardDeps): Promise<DayCounts[]> {
  const now = deps.now();
  const cached = chartCache.get(deps);
  if (cached && now.getTime() - cached.at < CHART_TTL_MS && now.getTime() >= cached.at) return cached.days;
  // One day before the window: the status each tenant entered the window with.
  const since = new Date(now.getTime() - (CHART_DAYS + 1) * 86_400_000).toISOString();
  const days = estateDailyCounts(await deps.monitor.listSnapshotSummariesSince(since), CHART_DAYS, now);
  chartCache.set(deps, { at: now.getTime(), days });
  return days;
}

interface EstateSnapshot {
  readonly at: number;
  readonly rows: readonly EstateRow[];
  readonly deadLettered: number;
  readonly unreadableRows: number;
  readonly consent: readonly ConsentLine[];
}

const estateCache = new WeakMap<DashboardDeps, EstateSnapshot>();

async function estate(deps: DashboardDeps): Promise<EstateSnapshot> {
  const now = deps.now().getTime();
  const cached = estateCache.get(deps);
  if (cached && now - cached.at < ESTATE_TTL_MS && now >= cached.at) return cached;
  const read = await readEstate(deps);
  const consent = consentLines(read.tenants, (id) => read.stateOf.get(id)?.lastReport);
  const fresh = { at: now, rows: estateRows(read), deadLettered: read.deadLetteredCount, unreadableRows: read.unreadable.length, consent };
  estateCache.set(deps, fresh);
  return fresh;
}

export async function estateView(
  deps: DashboardDeps,
  base: string,
  query: EstateQuery,
  options: { csrfToken: string | null; flash?: string | null; problem?: string | null } = { csrfToken: null },
): Promise<EstateView> {
  const [read, days, exceptions, audit] = await Promise.all([
    estate(deps),
    chart(deps),
    deps.standings.listExceptions(ESTATE_SCOPE),
    auditTrail(deps.operate, undefined),
  ]);
  return {
    base,
    query,
    page: estatePage(read.rows, query),
    readAt: new Date(read.at).toISOString(),
    chart: days,
    nextRun: deps.nextRun(),
    deadLettered: read.deadLettered,
    unreadableRows: read.unreadableRows,
    consent: read.consent,
    exceptions: { exceptions, audit, csrfToken: options.csrfToken, problem: options.problem ?? null },
    flash: options.flash ?? null,
  };
}

/**
 * The findings with what holds them back now: a decision taken since the last check shows at once,
 * not after the next run (which stores the same rule's answer).
 */
function withLiveStandings(state: TenantState | undefined, standings: Standings, now: Date): TenantState | undefined {
  if (!state) return state;
  const failing = failingFindings(state.lastReport);
  const findings = state.findings.map((f) => {
    const ref = failing.get(f.key);
    if (!ref) return f;
    const { standing: _old, ...rest } = f;
    const standing = standingOf({ ...ref, since: f.since }, f.since, state.lastReport, standings, now);
    return standing ? { ...rest, standing } : rest;
  });
  return { ...state, findings };
}

interface ViewOptions {
  /** Two snapshots to compare, of the account `account` (its key; absent: the first account). */
  readonly from?: string;
  readonly to?: string;
  readonly account?: string;
  readonly csrfToken: string | null;
  readonly flash: string | null;
  readonly standalone?: boolean;
  readonly problem?: string | null;
}

/** One account's part of the page, read from its Monitor partition. */
async function accountView(deps: DashboardDeps, tenantId: string, read: AccountRead, standings: Standings, options: ViewOptions): Promise<AccountView> {
  const partition = monitorPartition(tenantId, read.account.key);
  const [snapshots, alerts] = await Promise.all([deps.monitor.listSnapshots(partition, { limit: SNAPSHOT_CHOICES }), deps.monitor.listAlerts(partition)]);
  // Default: what changed last (the newest two); any two of the listed snapshots when chosen for this account.
  const chosen = (options.account ?? "") === read.account.key;
  const toId = (chosen ? options.to : undefined) ?? snapshots[0]?.id;
  const fromId = (chosen ? options.from : undefined) ?? snapshots[1]?.id;
  const known = new Set(snapshots.map((s) => s.id));
  let diff = null;
  if (fromId && toId && fromId !== toId && known.has(fromId) && known.has(toId)) {
    const [a, b] = await Promise.all([deps.monitor.getSnapshot(partition, fromId), deps.monitor.getSnapshot(partition, toId)]);
    if (a && b) diff = a.takenAt <= b.takenAt ? diffSnapshots(a, b) : diffSnapshots(b, a);
  }
  return {
    account: read.account,
    state: withLiveStandings(read.state, standings, deps.now()),
    unreadableState: read.unreadableState,
    snapshots,
    diff,
    timeline: tenantTimeline(snapshots, alerts),
    pending: alerts
      .filter((a) => a.delivery === "pending")
      .map((a) => ({
        alertId: a.alert.id,
        createdAt: a.alert.createdAt,
        kinds: [...new Set(a.alert.transitions.map((t) => t.kind))],
        attempts: a.attempts,
        lastError: a.lastError,
      })),
    deadLettered: read.deadLettered.map(deadLetterView).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

/** Undefined when the tenant is neither registered nor monitored. */
export async function tenantView(deps: DashboardDeps, base: string, tenantId: string, options: ViewOptions): Promise<TenantView | undefined> {
  const [read, inFlight, own, estate, audit] = await Promise.all([
    readTenant(deps, tenantId, "read"),
    deps.checkInFlightUntil(tenantId),
    deps.standings.listExceptions(tenantId),
    deps.standings.listExceptions(ESTATE_SCOPE),
    auditTrail(deps.operate, tenantId),
  ]);
  const standings = await deps.standings.readAccountsStandings(
    tenantId,
    read.accounts.map((a) => a.account.key),
  );
  const accounts = await Promise.all(
    read.accounts.map((a) => accountView(deps, tenantId, a, standings.byKey.get(a.account.key) ?? { acks: [], exceptions: [] }, options)),
  );
  const now = deps.now();
  const history = accounts.some((a) => a.state !== undefined || a.snapshots.length > 0);
  if (!read.tenant && !history && read.unreadable.length === 0) return undefined;
  return {
    base,
    tenantId,
    tenant: read.tenant,
    accounts,
    checkInFlightUntil: inFlight,
    csrfToken: options.csrfToken,
    flash: options.flash,
    standalone: options.standalone ?? false,
    exceptions: [...own, ...estate],
    // The tenant's trail spans its accounts' partitions (an acknowledgement is audited in its account's).
    audit: [...audit].sort((a, b) => b.at.localeCompare(a.at) || a.subject.localeCompare(b.subject)),
    problem: options.problem ?? null,
    readAt: now.toISOString(),
    unreadableStandings: standings.unreadable.map((r) => `${r.tenantId}/${r.rowKey}`),
  };
}
