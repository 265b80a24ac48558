/**
 * What `drift-monitor status` shows, built from the status read model (read-model.ts): the estate
 * (each tenant, a line per account) or one tenant in depth, account by account. Kept apart from the formatting so --json and the
 * table say the same thing.
 *
 * A stored row that does not parse is shown as unreadable rather than failing the whole status:
 * a Tenants row in the estate's `unreadable` list, a state row as the tenant's `unreadable` reason.
 * Dead-lettered alerts (delivery given up on) are counted per account, and listed for one tenant.
 */
import { effectiveStatus } from "../lib/drift/standing.js";
import { listedFindings } from "../lib/status/standing-text.js";
import pLimit from "p-limit";
import { orderFindings } from "../lib/checks/severity.js";
import type { SnapshotDiff } from "../lib/drift/history.js";
import type { TenantStatus } from "../lib/model/report.js";
import type { TenantState, TrackedFinding } from "../lib/model/state.js";
import type { MonitoredAccount, RegisteredTenant } from "../lib/model/tenant.js";
import { KIND_LABEL, monitorPartition, type AccountKind } from "../lib/model/account.js";
import { latestChange, snapshotHistory } from "../lib/runner/index.js";
import type { SnapshotSummary, Store } from "../lib/store/index.js";
import { readEstate, readTenant, type AccountRead, type StatusSources, type UnreadableRowView } from "../lib/status/read-model.js";
import { deadLetterViews, type DeadLetterView } from "../lib/status/views.js";

/** One account's line under its tenant. */
export interface EstateAccountLine {
  readonly key: string;
  readonly ref: string;
  readonly kind: AccountKind;
  /** "connection account", "emergency-access account". */
  readonly kindLabel: string;
  /** null until the account has been checked once. */
  readonly status: TenantStatus | null;
  /** When the account entered its current status, as far as the kept snapshots go back. */
  readonly since: string | null;
  readonly openFindings: number;
  readonly lastChecked: string | null;
  /** Why its state row could not be read; null when it could (or there is none). */
  readonly unreadable: string | null;
  /** Alerts whose delivery was given up on (`drift-monitor alerts requeue` sends them again). */
  readonly deadLetteredAlerts: number;
  /** Since when its checks are late (throttled, carried to the next run); null when they are not. */
  readonly lateSince: string | null;
}

export interface EstateLine {
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  /** In the registration's order. */
  readonly accounts: readonly EstateAccountLine[];
}

export interface EstateStatus {
  readonly tenants: readonly EstateLine[];
  /** Stored rows left out because they do not parse. */
  readonly unreadable: readonly UnreadableRowView[];
  readonly deadLetteredAlerts: number;
}

/** Where the dead letters come from (the store's outbox, read only). */
type DeadLetters = Pick<StatusSources, "listDeadLettered">;

/** One account of the tenant in depth. */
export interface AccountDetail {
  readonly account: MonitoredAccount;
  readonly kindLabel: string;
  readonly state: TenantState | null;
  readonly since: string | null;
  readonly openFindings: readonly TrackedFinding[];
  readonly snapshots: readonly SnapshotSummary[];
  readonly lastChange: SnapshotDiff | null;
  /** Oldest first. */
  readonly deadLettered: readonly DeadLetterView[];
}

export interface TenantDetail {
  readonly tenant: RegisteredTenant | null;
  readonly tenantId: string;
  /** In the registration's order; a tenant no longer registered: its first account's history. */
  readonly accounts: readonly AccountDetail[];
  /** Why the registration or a state could not be read, if one could not. */
  readonly unreadable: readonly UnreadableRowView[];
}

/**
 * Snapshots are written whenever the results change, so the run that changed the status left one:
 * walk back from the newest while the status holds.
 */
function statusSince(snapshots: readonly SnapshotSummary[], status: string): string | null {
  let since: string | null = null;
  for (const s of snapshots) {
    if (s.status !== status) break;
    since = s.takenAt;
  }
  return since;
}

const openOf = (state: TenantState | undefined) => state?.findings.filter((f) => f.status === "open") ?? [];

const noDeadLetters: DeadLetters = { listDeadLettered: async () => [] };

/** The read model's sources from the store (the CLI logs nothing: unreadable rows are in the output). */
const sourcesOf = (store: Store, dead: DeadLetters): StatusSources => ({
  tenants: store.tenants,
  monitor: store.monitor,
  listDeadLettered: (options) => dead.listDeadLettered(options),
  readAccountsStandings: (tenantId, keys, onInvalid) => store.standings.readAccountsStandings(tenantId, keys, onInvalid),
});

export async function estateStatus(store: Store, sources: DeadLetters = noDeadLetters): Promise<EstateStatus> {
  const read = await readEstate(sourcesOf(store, sources));
  const limit = pLimit(8);
  const accountLine = async (tenantId: string, a: MonitoredAccount): Promise<EstateAccountLine> => {
    const id = monitorPartition(tenantId, a.key);
    const state = read.stateOf.get(id);
    const status = state ? effectiveStatus(state) : null;
    const since = status ? statusSince(await snapshotHistory(store.monitor, id, 50), status) : null;
    return {
      key: a.key,
      ref: a.ref,
      kind: a.kind,
      kindLabel: KIND_LABEL[a.kind],
      status,
      since,
      openFindings: openOf(state).length,
      lastChecked: state?.lastReport.checkedAt ?? null,
      unreadable: read.unreadableStateOf.get(id) ?? null,
      deadLetteredAlerts: read.deadLetteredOf.get(id)?.length ?? 0,
      lateSince: state?.lateSince ?? null,
    };
  };
  const lines = await Promise.all(
    read.tenants.map(async (t): Promise<EstateLine> => ({
      tenantId: t.tenantId,
      displayName: t.displayName,
      enabled: t.enabled,
      accounts: await Promise.all(t.accounts.map((a) => limit(() => accountLine(t.tenantId, a)))),
    })),
  );
  return {
    tenants: lines.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId)),
    unreadable: read.unreadable,
    deadLetteredAlerts: read.deadLetteredCount,
  };
}

async function accountDetail(store: Store, tenantId: string, read: AccountRead, snapshotLimit: number): Promise<AccountDetail> {
  const partition = monitorPartition(tenantId, read.account.key);
  const [snapshots, change] = await Promise.all([
    snapshotHistory(store.monitor, partition, Math.max(snapshotLimit, 50)),
    latestChange(store.monitor, partition).catch(() => undefined),
  ]);
  const state = read.state ?? null;
  return {
    account: read.account,
    kindLabel: KIND_LABEL[read.account.kind],
    state,
    since: state ? statusSince(snapshots, state.lastReport.status) : null,
    // Excepted findings are no drift, but are listed with what allows them; the most severe first.
    openFindings: orderFindings(listedFindings(state?.findings ?? [])),
    snapshots: snapshots.slice(0, snapshotLimit),
    lastChange: change?.diff ?? null,
    deadLettered: deadLetterViews(read.deadLettered),
  };
}

export async function tenantStatus(
  store: Store,
  tenantId: string,
  snapshotLimit: number,
  sources: DeadLetters = noDeadLetters,
): Promise<TenantDetail | undefined> {
  const read = await readTenant(sourcesOf(store, sources), tenantId, "read");
  const accounts = await Promise.all(read.accounts.map((a) => accountDetail(store, tenantId, a, snapshotLimit)));
  const history = accounts.some((a) => a.state !== null || a.deadLettered.length > 0 || a.snapshots.length > 0);
  if (!read.tenant && !history && read.unreadable.length === 0) return undefined;
  return { tenant: read.tenant ?? null, tenantId, accounts, unreadable: read.unreadable };
}
