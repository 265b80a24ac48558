/**
 * History readers for the status API and emails: an account's latest state, its snapshots newest
 * first, and what changed between two of them. `partition`: the account's Monitor partition
 * (lib/model/account.ts `monitorPartition`; the tenant id for its first account).
 */
import { diffSnapshots, type SnapshotDiff } from "../drift/history.js";
import type { Snapshot, TenantState } from "../model/state.js";
import type { MonitorRepository, SnapshotSummary } from "../store/index.js";

type HistoryStore = Pick<MonitorRepository, "readState" | "listSnapshots" | "readSnapshots" | "getSnapshot">;

export async function latestState(monitor: HistoryStore, partition: string): Promise<TenantState | undefined> {
  return (await monitor.readState(partition))?.state;
}

/** Snapshot metadata, newest first. */
export function snapshotHistory(monitor: HistoryStore, partition: string, limit?: number): Promise<SnapshotSummary[]> {
  return monitor.listSnapshots(partition, limit === undefined ? {} : { limit });
}

/** What changed between two snapshots (by id; given in either order, compared oldest → newest). */
export async function diffOfSnapshots(monitor: HistoryStore, partition: string, a: string, b: string): Promise<SnapshotDiff | undefined> {
  const [x, y] = await Promise.all([monitor.getSnapshot(partition, a), monitor.getSnapshot(partition, b)]);
  if (!x || !y) return undefined;
  return x.takenAt <= y.takenAt ? diffSnapshots(x, y) : diffSnapshots(y, x);
}

/** What the latest snapshot changed compared with the one before it. */
export async function latestChange(monitor: HistoryStore, partition: string): Promise<{ latest: Snapshot; diff: SnapshotDiff | undefined } | undefined> {
  const [latest, before] = await monitor.readSnapshots(partition, { limit: 2 });
  if (!latest) return undefined;
  return { latest, diff: before ? diffSnapshots(before, latest) : undefined };
}
