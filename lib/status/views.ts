/**
 * What the API shows of a tenant: plain data built from the status read model (read-model.ts):
 * the stored tenant, its state, its check lease and its dead letters.
 */
import { orderFindings, severityOfFinding, type Severity } from "../checks/severity.js";
import { stateOf } from "../drift/finding-stored.js";
import { effectiveStatus } from "../drift/standing.js";
import { listedFindings, standingText } from "./standing-text.js";
import type { FindingStanding } from "../model/state.js";
import type { TenantState } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";
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

/** What a view shows besides the tenant and its state. */
interface ViewExtras {
  /** The tenant's dead-lettered alerts (any order: shown oldest first). */
  readonly deadLettered?: readonly DeadLetterSource[];
  /** Why the tenant's state row could not be read, if it could not. */
  readonly unreadableState?: string | null;
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

interface TenantSummaryView {
  readonly tenantId: string;
  readonly displayName: string;
  readonly account: string;
  readonly profile: string;
  readonly enabled: boolean;
  readonly recipients: readonly string[];
  readonly status: ApiStatus;
  readonly checkedAt: string | null;
  /** Since when its checks are late (throttled, carried to the next run, not unknown); null when they are not. */
  readonly lateSince: string | null;
  readonly warnings: number;
  readonly openFindings: readonly OpenFindingView[];
  /** Findings an approved exception allows: no drift, still evaluated and shown. */
  readonly exceptedFindings: readonly OpenFindingView[];
  /** Set while a check is queued or running. */
  readonly checkInFlightUntil: string | null;
  /** Why the stored state could not be read (status `unreadable`); null when it could. */
  readonly unreadable: string | null;
  /** How many of its alerts were dead-lettered (delivery given up), and which, oldest first. */
  readonly deadLetteredAlerts: number;
  readonly deadLettered: readonly DeadLetterView[];
}

/** Most severe first, then by rank, then the oldest; the severity is computed from the check id, never stored. */
function findingViews(state: TenantState | undefined, excepted: boolean): OpenFindingView[] {
  return orderFindings(listedFindings(state?.findings ?? []).filter((f) => (stateOf(f) === "excepted") === excepted)).map((f) => ({
    checkId: f.checkId,
    severity: severityOfFinding(f.checkId),
    subject: f.subject,
    subjectName: f.subjectName,
    summary: f.summary,
    since: f.since,
    state: stateOf(f),
    standing: f.standing ?? null,
    standingText: standingText(f.standing),
  }));
}

export function tenantSummary(
  tenant: RegisteredTenant,
  state: TenantState | undefined,
  checkInFlightUntil: string | null = null,
  extras: ViewExtras = {},
): TenantSummaryView {
  const unreadable = extras.unreadableState ?? null;
  const dead = [...(extras.deadLettered ?? [])]
    .map(deadLetterView)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.alertId.localeCompare(b.alertId));
  return {
    tenantId: tenant.tenantId,
    displayName: tenant.displayName,
    account: tenant.account,
    profile: tenant.profile,
    enabled: tenant.enabled,
    recipients: tenant.recipients,
    status: unreadable !== null ? "unreadable" : state ? effectiveStatus(state) : "not-checked",
    checkedAt: state?.lastReport.checkedAt ?? null,
    lateSince: state?.lateSince ?? null,
    warnings: state?.lastReport.warnings ?? 0,
    openFindings: findingViews(state, false),
    exceptedFindings: findingViews(state, true),
    checkInFlightUntil,
    unreadable,
    deadLetteredAlerts: dead.length,
    deadLettered: dead,
  };
}

interface TenantDetailView extends TenantSummaryView {
  readonly accountObjectId: string | null;
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

export function tenantDetail(
  tenant: RegisteredTenant,
  state: TenantState | undefined,
  snapshots: readonly SnapshotSummary[],
  checkInFlightUntil: string | null,
  extras: ViewExtras = {},
): TenantDetailView {
  return {
    ...tenantSummary(tenant, state, checkInFlightUntil, extras),
    accountObjectId: tenant.accountObjectId,
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

/** `GET /api/tenants`: every readable tenant (by name), optionally of one status, and the rows left out. */
interface TenantListView {
  readonly count: number;
  readonly tenants: readonly TenantSummaryView[];
  readonly unreadable: readonly UnreadableRowView[];
}

export function tenantListView(read: EstateRead, status?: ApiStatus): TenantListView {
  const tenants = read.tenants
    .map((t) =>
      tenantSummary(t, read.stateOf.get(t.tenantId), null, {
        deadLettered: read.deadLetteredOf.get(t.tenantId) ?? [],
        unreadableState: read.unreadableStateOf.get(t.tenantId) ?? null,
      }),
    )
    .filter((v) => status === undefined || v.status === status)
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId));
  return { count: tenants.length, tenants, unreadable: read.unreadable };
}

/** `GET /api/tenants/{id}` of a registered tenant, with the rows its answer left out. */
export function tenantDetailView(
  tenant: RegisteredTenant,
  read: TenantRead,
  snapshots: readonly SnapshotSummary[],
  checkInFlightUntil: string | null,
): TenantDetailView & { readonly unreadableRows: readonly UnreadableRowView[] } {
  return {
    ...tenantDetail(tenant, read.state, snapshots, checkInFlightUntil, { deadLettered: read.deadLettered, unreadableState: read.unreadableState }),
    unreadableRows: read.unreadable,
  };
}
