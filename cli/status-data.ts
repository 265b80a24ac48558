/**
 * What `drift-monitor status` shows, gathered from the store: the estate (one line per tenant) or
 * one tenant in depth. Kept apart from the formatting so --json and the table say the same thing.
 *
 * A stored row that does not parse is shown as unreadable rather than failing the whole status:
 * a Tenants row in the estate's `unreadable` list, a state row as the tenant's `unreadable` reason.
 * Dead-lettered alerts (delivery given up on) are counted per tenant, and listed for one tenant.
 */
import pLimit from "p-limit";
import { deadLetterView, type DeadLetterSource, type DeadLetterView, type UnreadableRowView } from "../lib/api/views.js";
import type { TenantStatus } from "../lib/model/report.js";
import type { TenantState, TrackedFinding } from "../lib/model/state.js";
import type { RegisteredTenant } from "../lib/model/tenant.js";
import type { SnapshotDiff } from "../lib/drift/history.js";
import { latestChange, snapshotHistory } from "../lib/runner/index.js";
import { CorruptStateError, type InvalidRowHandler, type SnapshotSummary, type Store, UnreadableTenantError } from "../lib/store/index.js";

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
  /** Why its state row could not be read; null when it could (or there is none). */
  readonly unreadable: string | null;
  /** Alerts whose delivery was given up on (`drift-monitor alerts requeue` sends them again). */
  readonly deadLetteredAlerts: number;
}

export interface EstateStatus {
  readonly tenants: readonly EstateLine[];
  /** Stored rows left out because they do not parse. */
  readonly unreadable: readonly UnreadableRowView[];
  readonly deadLetteredAlerts: number;
}

/** Where the dead letters come from (createOutboxDelivery(...), read only). */
export interface StatusSources {
  listDeadLettered(options: { tenantId?: string; onInvalid?: InvalidRowHandler }): Promise<readonly DeadLetterSource[]>;
}

export interface TenantDetail {
  readonly tenant: RegisteredTenant | null;
  readonly tenantId: string;
  readonly state: TenantState | null;
  readonly since: string | null;
  readonly openFindings: readonly TrackedFinding[];
  readonly snapshots: readonly SnapshotSummary[];
  readonly lastChange: SnapshotDiff | null;
  /** Why the registration or the state could not be read, if one could not. */
  readonly unreadable: readonly UnreadableRowView[];
  /** Oldest first. */
  readonly deadLettered: readonly DeadLetterView[];
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

function collector() {
  const rows: UnreadableRowView[] = [];
  const handler =
    (table: UnreadableRowView["table"]): InvalidRowHandler =>
    (r) =>
      rows.push({ table, tenantId: r.tenantId, rowKey: r.rowKey, error: r.error });
  return { rows, tenants: handler("Tenants"), monitor: handler("Monitor") };
}

const noDeadLetters: StatusSources = { listDeadLettered: async () => [] };

export async function estateStatus(store: Store, sources: StatusSources = noDeadLetters): Promise<EstateStatus> {
  const unreadable = collector();
  const [tenants, states, dead] = await Promise.all([
    store.tenants.list({ onInvalid: unreadable.tenants }),
    store.monitor.listStates({ onInvalid: unreadable.monitor }),
    sources.listDeadLettered({ onInvalid: unreadable.monitor }),
  ]);
  const byId = new Map(states.map((s) => [s.tenantId, s]));
  const badState = new Map(unreadable.rows.filter((r) => r.table === "Monitor" && r.rowKey === "state").map((r) => [r.tenantId, r.error]));
  const deadCount = new Map<string, number>();
  for (const d of dead) deadCount.set(d.tenantId, (deadCount.get(d.tenantId) ?? 0) + 1);
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
          unreadable: badState.get(t.tenantId) ?? null,
          deadLetteredAlerts: deadCount.get(t.tenantId) ?? 0,
        };
      }),
    ),
  );
  return {
    tenants: lines.sort((a, b) => a.displayName.localeCompare(b.displayName)),
    unreadable: unreadable.rows.sort((a, b) => a.table.localeCompare(b.table) || a.tenantId.localeCompare(b.tenantId) || a.rowKey.localeCompare(b.rowKey)),
    deadLetteredAlerts: dead.length,
  };
}

export async function tenantStatus(store: Store, tenantId: string, snapshotLimit: number, sources: StatusSources = noDeadLetters): Promise<TenantDetail | undefined> {
  const unreadable = collector();
  const [tenant, stored, snapshots, change, dead] = await Promise.all([
    store.tenants.get(tenantId).catch((error: unknown) => {
      if (!(error instanceof UnreadableTenantError)) throw error;
      unreadable.tenants({ tenantId, rowKey: tenantId, error: error.message });
      return undefined;
    }),
    store.monitor.readState(tenantId).catch((error: unknown) => {
      if (!(error instanceof CorruptStateError)) throw error;
      unreadable.monitor({ tenantId, rowKey: "state", error: error.detail });
      return undefined;
    }),
    snapshotHistory(store.monitor, tenantId, Math.max(snapshotLimit, 50)),
    latestChange(store.monitor, tenantId).catch(() => undefined),
    sources.listDeadLettered({ tenantId, onInvalid: unreadable.monitor }),
  ]);
  if (!tenant && !stored && unreadable.rows.length === 0 && dead.length === 0) return undefined;
  const state = stored?.state ?? null;
  return {
    tenant: tenant ?? null,
    tenantId,
    state,
    since: state ? statusSince(snapshots, state.lastReport.status) : null,
    openFindings: openOf(state ?? undefined).sort((a, b) => a.since.localeCompare(b.since)),
    snapshots: snapshots.slice(0, snapshotLimit),
    lastChange: change?.diff ?? null,
    unreadable: unreadable.rows,
    deadLettered: dead.map(deadLetterView).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.alertId.localeCompare(b.alertId)),
  };
}
