/**
 * What the API shows of a tenant: plain data built from the status read model (read-model.ts):
 * the stored tenant, each of its accounts (kind, state, findings, dead letters), its check lease.
 */
import { orderFindings, severityOfFinding, type Severity } from "../checks/severity.js";
import { stateOf } from "../drift/finding-stored.js";
import { listedFindings, standingText } from "./standing-text.js";
import type { FindingStanding } from "../model/state.js";
import type { TenantState } from "../model/state.js";
import type { MonitoredAccount, RegisteredTenant } from "../model/tenant.js";
import { KIND_LABEL, monitorPartition, type AccountKind } from "../model/account.js";
import { accountStatusOf, earliest, worstStatus, type AccountStatus } from "./accounts.js";
import type { SnapshotSummary } from "../store/index.js";
import type { DeadLetterSource, EstateRead, TenantRead, UnreadableRowView } from "./read-model.js";

/**
 * A tenant's status, `not-checked` before its first run, or `unreadable` when its stored state
 * does not parse (the next check moves the row aside and starts over).
 */
export const API_STATUSES = ["compliant", "drifted", "unknown", "not-checked", "unreadable"] as const;
type ApiStatus = (typeof API_STATUSES)[number];

/** An alert whose delivery was given up on (ALERT_MAX_ATTEMPTS): `drift-monitor alerts requeue` sends it again. */
export interface DeadLetterView {
  readonly alertId: string;
  readonly createdAt: string;
  readonly deadLetteredAt: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /** The transitions the email carries (drift-detected, resolved, …). */
  readonly kinds: readonly string[];
}

export function deadLetterView(row: DeadLetterSource): DeadLetterView {
  return {
    alertId: row.alert.id,
    createdAt: row.alert.createdAt,
    deadLetteredAt: row.deadLetteredAt,
    attempts: row.attempts,
    lastError: row.lastError,
    kinds: [...new Set(row.alert.transitions.map((t) => t.kind))],
  };
}

interface OpenFindingView {
  readonly checkId: string;
  /** How urgent (lib/checks/severity.ts): computed from the check id when read. */
  readonly severity: Severity;
  readonly subject: string;
  readonly subjectName: string | null;
  readonly summary: string;
  readonly since: string;
  /** Its state in the findings' state machine (acknowledged: no reminders), and who holds it back, why and until when. */
  readonly state: string;
  readonly standing: FindingStanding | null;
  readonly standingText: string | null;
}

/** A finding in the tenant's list: which of its accounts it is of. */
interface TenantFindingView extends OpenFindingView {
  readonly accountKey: string;
  readonly account: string;
}

/** What the API says of an account, and of a tenant rolled up from its accounts. */
interface StandingView<F> {
  readonly status: AccountStatus;
  readonly checkedAt: string | null;
  /** Since when its checks are late (throttled, carried to the next run, not unknown); null when they are not. */
  readonly lateSince: string | null;
  readonly warnings: number;
  readonly openFindings: readonly F[];
  /** Findings an approved exception allows: no drift, still evaluated and shown. */
  readonly exceptedFindings: readonly F[];
  /** Why a stored state could not be read (status `unreadable`); null when it could. */
  readonly unreadable: string | null;
  /** How many of its alerts were dead-lettered (delivery given up), and which, oldest first. */
  readonly deadLetteredAlerts: number;
  readonly deadLettered: readonly DeadLetterView[];
}

/** One account: its kind, its own status, findings and dead letters. */
interface AccountSummaryView extends StandingView<OpenFindingView> {
  readonly key: string;
  readonly ref: string;
  readonly kind: AccountKind;
  /** "connection account", "emergency-access account". */
  readonly kindLabel: string;
  readonly profile: string;
  readonly objectId: string | null;
}

/**
 * A tenant: its own fields, the roll-up of its accounts (the worst status, the oldest check —
 * null while one is not checked yet —, every finding named by account) and each account. A tenant
 * with one account also keeps the fields of the one-account answer (`account`, `profile`; the
 * detail's `accountObjectId`, `report`, `monitoring`, `snapshots`), so existing callers keep
 * working; a tenant with several has them per account only (docs/contracts.md).
 */
interface TenantSummaryView extends StandingView<TenantFindingView> {
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly recipients: readonly string[];
  /** Set while a check is queued or running. */
  readonly checkInFlightUntil: string | null;
  readonly accountCount: number;
  readonly accounts: readonly AccountSummaryView[];
  /** The one account's reference and profile: a one-account tenant only. */
  readonly account?: string;
  readonly profile?: string;
}

/** Most severe first, then by rank, then the oldest; the severity is computed from the check id, never stored. */
function findingViews(state: TenantState | undefined, excepted: boolean, accountRef: string): OpenFindingView[] {
  return orderFindings(listedFindings(state?.findings ?? []).filter((f) => (stateOf(f) === "excepted") === excepted)).map((f) => ({
    checkId: f.checkId,
    severity: severityOfFinding(f.checkId),
    subject: f.subject,
    subjectName: f.subjectName,
    summary: f.summary,
    since: f.since,
    state: stateOf(f),
    standing: f.standing ?? null,
    standingText: standingText(f.standing, accountRef),
  }));
}

/** Dead-lettered alerts, oldest first. */
export const deadLetterViews = (rows: readonly DeadLetterSource[]): DeadLetterView[] =>
  rows.map(deadLetterView).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.alertId.localeCompare(b.alertId));

/** What the views need of an account: the read model's AccountRead, or a test's. */
export interface AccountData {
  readonly account: MonitoredAccount;
  readonly state?: TenantState | undefined;
  readonly unreadableState?: string | null;
  readonly deadLettered?: readonly DeadLetterSource[];
}

function accountSummary(a: AccountData): AccountSummaryView {
  const unreadable = a.unreadableState ?? null;
  const dead = deadLetterViews(a.deadLettered ?? []);
  return {
    key: a.account.key,
    ref: a.account.ref,
    kind: a.account.kind,
    kindLabel: KIND_LABEL[a.account.kind],
    profile: a.account.profile,
    objectId: a.account.objectId,
    status: accountStatusOf(a.state, unreadable !== null),
    checkedAt: a.state?.lastReport.checkedAt ?? null,
    lateSince: a.state?.lateSince ?? null,
    warnings: a.state?.lastReport.warnings ?? 0,
    openFindings: findingViews(a.state, false, a.account.ref),
    exceptedFindings: findingViews(a.state, true, a.account.ref),
    unreadable,
    deadLetteredAlerts: dead.length,
    deadLettered: dead,
  };
}

const tagged = (accounts: readonly AccountSummaryView[], pick: (a: AccountSummaryView) => readonly OpenFindingView[]): TenantFindingView[] =>
  accounts.flatMap((a) => pick(a).map((f) => ({ ...f, accountKey: a.key, account: a.ref })));

export function tenantSummary(tenant: RegisteredTenant, accounts: readonly AccountData[], checkInFlightUntil: string | null = null): TenantSummaryView {
  const views = accounts.map(accountSummary);
  const only = views.length === 1 ? views[0] : undefined;
  const dead = deadLetterViews(accounts.flatMap((a) => a.deadLettered ?? []));
  return {
    tenantId: tenant.tenantId,
    displayName: tenant.displayName,
    enabled: tenant.enabled,
    recipients: tenant.recipients,
    status: worstStatus(views.map((v) => v.status)),
    checkedAt: views.some((v) => v.checkedAt === null) ? null : earliest(views.map((v) => v.checkedAt)),
    lateSince: earliest(views.map((v) => v.lateSince)),
    warnings: views.reduce((n, v) => n + v.warnings, 0),
    openFindings: tagged(views, (v) => v.openFindings),
    exceptedFindings: tagged(views, (v) => v.exceptedFindings),
    checkInFlightUntil,
    unreadable: views.find((v) => v.unreadable !== null)?.unreadable ?? null,
    deadLetteredAlerts: dead.length,
    deadLettered: dead,
    accountCount: views.length,
    accounts: views,
    ...(only ? { account: only.ref, profile: only.profile } : {}),
  };
}

/** What the detail adds for one account: its last report, its monitoring counters and its snapshots. */
interface AccountDetailView {
  /** The last report in the design's report format; null before the first run. */
  readonly report: TenantState["lastReport"] | null;
  readonly monitoring: {
    readonly consecutiveUnknown: number;
    readonly unknownSince: string | null;
    readonly degradedAlertedAt: string | null;
    /** Checks late since then (throttled, carried to the next run), and why; null when they are not. */
    readonly late: { readonly since: string; readonly reason: string | null } | null;
  } | null;
  /** Newest first. */
  readonly snapshots: readonly SnapshotSummary[];
}

function accountDetail(state: TenantState | undefined, snapshots: readonly SnapshotSummary[]): AccountDetailView {
  return {
    report: state?.lastReport ?? null,
    monitoring: state
      ? {
          consecutiveUnknown: state.consecutiveUnknown,
          unknownSince: state.unknownSince,
          degradedAlertedAt: state.degradedAlertedAt,
          late: state.lateSince ? { since: state.lateSince, reason: state.lateReason ?? null } : null,
        }
      : null,
    snapshots,
  };
}

interface TenantDetailView extends Omit<TenantSummaryView, "accounts">, Partial<AccountDetailView> {
  readonly accounts: readonly (AccountSummaryView & AccountDetailView)[];
  /** The one account's object id: a one-account tenant only. */
  readonly accountObjectId?: string | null;
}

/** `snapshotsOf`: each account's recent snapshots, by account key (none listed: empty). */
export function tenantDetail(
  tenant: RegisteredTenant,
  accounts: readonly AccountData[],
  snapshotsOf: ReadonlyMap<string, readonly SnapshotSummary[]>,
  checkInFlightUntil: string | null,
): TenantDetailView {
  const summary = tenantSummary(tenant, accounts, checkInFlightUntil);
  const details = accounts.map((a) => accountDetail(a.state, snapshotsOf.get(a.account.key) ?? []));
  const only = accounts.length === 1 ? accounts[0] : undefined;
  return {
    ...summary,
    accounts: summary.accounts.map((v, i) => ({ ...v, ...(details[i] ?? accountDetail(undefined, [])) })),
    ...(only && details[0] ? { accountObjectId: only.account.objectId, ...details[0] } : {}),
  };
}

/** `GET /api/tenants`: every readable tenant (by name), optionally of one status, and the rows left out. */
interface TenantListView {
  readonly count: number;
  readonly tenants: readonly TenantSummaryView[];
  readonly unreadable: readonly UnreadableRowView[];
}

/** Each of a registered tenant's accounts with what the estate read holds for it. */
function accountsInEstate(read: EstateRead, tenant: RegisteredTenant): AccountData[] {
  return tenant.accounts.map((account) => {
    const id = monitorPartition(tenant.tenantId, account.key);
    return {
      account,
      state: read.stateOf.get(id),
      unreadableState: read.unreadableStateOf.get(id) ?? null,
      deadLettered: read.deadLetteredOf.get(id) ?? [],
    };
  });
}

export function tenantListView(read: EstateRead, status?: ApiStatus): TenantListView {
  const tenants = read.tenants
    .map((t) => tenantSummary(t, accountsInEstate(read, t)))
    .filter((v) => status === undefined || v.status === status)
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId));
  return { count: tenants.length, tenants, unreadable: read.unreadable };
}

/** `GET /api/tenants/{id}` of a registered tenant, with the rows its answer left out. */
export function tenantDetailView(
  tenant: RegisteredTenant,
  read: TenantRead,
  snapshotsOf: ReadonlyMap<string, readonly SnapshotSummary[]>,
  checkInFlightUntil: string | null,
): TenantDetailView & { readonly unreadableRows: readonly UnreadableRowView[] } {
  return {
    ...tenantDetail(tenant, read.accounts, snapshotsOf, checkInFlightUntil),
    unreadableRows: read.unreadable,
  };
}
