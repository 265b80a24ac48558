/**
 * What `drift-monitor status` shows, gathered from the store: the estate (one line per tenant) or
 * one tenant in depth. Kept apart from the formatting so --json and the table say the same thing.
 */
import pLimit from "p-limit";
import type { TenantStatus } from "../lib/model/report.js";
import type { TenantState, TrackedFinding } from "../lib/model/state.js";
import type { RegisteredTenant } from "../lib/model/tenant.js";
import type { SnapshotDiff } from "../lib/drift/history.js";
import { latestChange, snapshotHistory } from "../lib/runner/index.js";
import type { SnapshotSummary, Store } from "../lib/store/index.js";

export interface EstateLine {
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  /** null until the tenant has been checked once. */
  readonly status: TenantStatus | null;
  /** When the tenant entered its current status, as far as the kept snapshots go back. */
  readonly since: string | null;
  readonly openFindings: number;
  readonly lastChecked: string | null;
}

export interface TenantDetail {
  readonly tenant: RegisteredTenant | null;
  readonly tenantId: string;
  readonly state: TenantState | null;
  readonly since: string | null;
  readonly openFindings: readonly TrackedFinding[];
  readonly snapshots: readonly SnapshotSummary[];
  readonly lastChange: SnapshotDiff | null;
}

/**
 * Snapshots are written whenever the results change, so the run that changed the status left one:
 * walk back from the newest while the status holds.
 */
export function statusSince(snapshots: readonly SnapshotSummary[], status: string): string | null {
  let since: string | null = null;
  for (const s of snapshots) {
    if (s.status !== status) break;
    since = s.takenAt;
  }
  return since;
}

const openOf = (state: TenantState | undefined) => state?.findings.filter((f) => f.status === "open") ?? [];

export async function estateStatus(store: Store): Promise<EstateLine[]> {
  const [tenants, states] = await Promise.all([store.tenants.list(), store.monitor.listStates()]);
  const byId = new Map(states.map((s) => [s.tenantId, s]));
  const limit = pLimit(8);
  const lines = await Promise.all(
    tenants.map((t) =>
      limit(async (): Promise<EstateLine> => {
        const state = byId.get(t.tenantId);
        const status = state?.lastReport.status ?? null;
        const since = status ? statusSince(await snapshotHistory(store.monitor, t.tenantId, 50), status) : null;
        return {
          tenantId: t.tenantId,
          displayName: t.displayName,
          enabled: t.enabled,
          status,
          since,
          openFindings: openOf(state).length,
          lastChecked: state?.lastReport.checkedAt ?? null,
        };
      }),
    ),
  );
  return lines.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export async function tenantStatus(store: Store, tenantId: string, snapshotLimit: number): Promise<TenantDetail | undefined> {
  const [tenant, stored, snapshots, change] = await Promise.all([
    store.tenants.get(tenantId),
    store.monitor.readState(tenantId),
    snapshotHistory(store.monitor, tenantId, Math.max(snapshotLimit, 50)),
    latestChange(store.monitor, tenantId),
  ]);
  if (!tenant && !stored) return undefined;
  const state = stored?.state ?? null;
  return {
    tenant: tenant ?? null,
    tenantId,
    state,
    since: state ? statusSince(snapshots, state.lastReport.status) : null,
    openFindings: openOf(state ?? undefined).sort((a, b) => a.since.localeCompare(b.since)),
    snapshots: snapshots.slice(0, snapshotLimit),
    lastChange: change?.diff ?? null,
  };
}
