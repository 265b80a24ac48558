/** What the API shows of a tenant: plain data built from the stored tenant, state and lease. */
import type { TenantState } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";
import type { SnapshotSummary } from "../store/monitor.js";

/** A tenant's status, or `not-checked` before its first run. */
export const API_STATUSES = ["compliant", "drifted", "unknown", "not-checked"] as const;
export type ApiStatus = (typeof API_STATUSES)[number];

export interface OpenFindingView {
  readonly checkId: string;
  readonly subject: string;
  readonly subjectName: string | null;
  readonly summary: string;
  readonly since: string;
}

export interface TenantSummaryView {
  readonly tenantId: string;
  readonly displayName: string;
  readonly account: string;
  readonly profile: string;
  readonly enabled: boolean;
  readonly recipients: readonly string[];
  readonly status: ApiStatus;
  readonly checkedAt: string | null;
  readonly warnings: number;
  readonly openFindings: readonly OpenFindingView[];
  /** Set while a check is queued or running. */
  readonly checkInFlightUntil: string | null;
}

export function openFindings(state: TenantState | undefined): OpenFindingView[] {
  return (state?.findings ?? [])
    .filter((f) => f.status === "open")
    .map((f) => ({ checkId: f.checkId, subject: f.subject, subjectName: f.subjectName, summary: f.summary, since: f.since }));
}

export function tenantSummary(tenant: RegisteredTenant, state: TenantState | undefined, checkInFlightUntil: string | null = null): TenantSummaryView {
  return {
    tenantId: tenant.tenantId,
    displayName: tenant.displayName,
    account: tenant.account,
    profile: tenant.profile,
    enabled: tenant.enabled,
    recipients: tenant.recipients,
    status: state?.lastReport.status ?? "not-checked",
    checkedAt: state?.lastReport.checkedAt ?? null,
    warnings: state?.lastReport.warnings ?? 0,
    openFindings: openFindings(state),
    checkInFlightUntil,
  };
}

export interface TenantDetailView extends TenantSummaryView {
  readonly accountObjectId: string | null;
  /** The last report in the design's report format; null before the first run. */
  readonly report: TenantState["lastReport"] | null;
  readonly monitoring: {
    readonly consecutiveUnknown: number;
    readonly unknownSince: string | null;
    readonly degradedAlertedAt: string | null;
  } | null;
  /** Newest first. */
  readonly snapshots: readonly SnapshotSummary[];
}

export function tenantDetail(tenant: RegisteredTenant, state: TenantState | undefined, snapshots: readonly SnapshotSummary[], checkInFlightUntil: string | null): TenantDetailView {
  return {
    ...tenantSummary(tenant, state, checkInFlightUntil),
    accountObjectId: tenant.accountObjectId,
    report: state?.lastReport ?? null,
    monitoring: state ? { consecutiveUnknown: state.consecutiveUnknown, unknownSince: state.unknownSince, degradedAlertedAt: state.degradedAlertedAt } : null,
    snapshots,
  };
}
