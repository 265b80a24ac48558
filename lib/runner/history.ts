/**
 * History readers for the status API and emails: a tenant's latest state, its snapshots newest
 * first, and what changed between two of them.
 */
import { diffSnapshots, type SnapshotDiff } from "../drift/history.js";
import type { Snapshot, TenantState } from "../model/state.js";
import type { MonitorRepository, SnapshotSummary } from "../store/index.js";

type HistoryStore = Pick<MonitorRepository, "readState" | "listSnapshots" | "readSnapshots" | "getSnapshot">;

export async function latestState(monitor: HistoryStore, tenantId: string): Promise<TenantState | undefined> {
  return (await monitor.readState(tenantId))?.state;
}

/** Snapshot metadata, newest first. */
export function snapshotHistory(monitor: HistoryStore, tenantId: string, limit?: number): Promise<SnapshotSummary[]> {
  return monitor.listSnapshots(tenantId, limit === undefined ? {} : { limit });
}

/** What changed between two snapshots (by id; given in either order, compared oldest → newest). */
export async function diffOfSnapshots(monitor: HistoryStore, tenantId: string, a: string, b: string): Promise<SnapshotDiff | undefined> {
  const [x, y] = await Promise.all([monitor.getSnapshot(tenantId, a), monitor.getSnapshot(tenantId, b)]);
  if (!x || !y) return undefined;
  return x.takenAt <= y.takenAt ? diffSnapshots(x, y) : diffSnapshots(y, x);
}

/** What the latest snapshot changed compared with the one before it. */
export async function latestChange(monitor: HistoryStore, tenantId: string): Promise<{ latest: Snapshot; diff: SnapshotDiff | undefined } | undefined> {
  const [latest, before] = await monitor.readSnapshots(tenantId, { limit: 2 });
  if (!latest) return undefined;
  return { latest, diff: before ? diffSnapshots(before, latest) : undefined };
}
