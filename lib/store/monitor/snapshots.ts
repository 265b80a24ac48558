/** An account's snapshots (written by `commitRun`, runs.ts), by its Monitor partition: listed, read and pruned here. */
import { odata, type TransactionAction } from "@azure/data-tables";
import type { Snapshot } from "../../model/state.js";
import type { LazyTable } from "../connection.js";
import { isNotFound, StoreError } from "../errors.js";
import { decodeSnapshotRow, decodeSnapshotSummary, SUMMARY_COLUMNS, type SnapshotSummary } from "./codecs/snapshot.js";
import { partitionLabel, prefixEnd, SNAPSHOT_PREFIX, snapshotRowKey } from "./keys.js";
import { parseMonitorPartition } from "../../model/account.js";
import { MAX_TRANSACTION_OPERATIONS } from "./table.js";

export class SnapshotsRepository {
  constructor(private readonly table: LazyTable) {}

  /** Snapshot metadata, newest first (the Data parts are not fetched). */
  async listSnapshots(partition: string, options: { limit?: number } = {}): Promise<SnapshotSummary[]> {
    const client = await this.table.ready();
    const out: SnapshotSummary[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${partition} and RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}`,
        select: SUMMARY_COLUMNS,
      },
    });
    for await (const row of rows) {
      out.push(decodeSnapshotSummary(row));
      // Stops paging as soon as there are enough: a tenant may keep months of snapshots.
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
    return out;
  }

  /**
   * Every account's snapshot metadata taken at or after `since` (ISO time), in one query over the
   * table (summary columns only), each with its tenant and account key: what the dashboard's estate chart is drawn from.
   */
  async listSnapshotSummariesSince(since: string): Promise<(SnapshotSummary & { readonly tenantId: string; readonly accountKey: string })[]> {
    const client = await this.table.ready();
    const out: (SnapshotSummary & { readonly tenantId: string; readonly accountKey: string })[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)} and TakenAt ge ${since}`,
        select: ["PartitionKey", ...SUMMARY_COLUMNS],
      },
    });
    for await (const row of rows) {
      const { tenantId, key } = parseMonitorPartition(String(row.partitionKey));
      out.push({ tenantId, accountKey: key, ...decodeSnapshotSummary(row) });
    }
    return out;
  }

  /** Whole snapshots, newest first. */
  async readSnapshots(partition: string, options: { limit?: number } = {}): Promise<Snapshot[]> {
    const client = await this.table.ready();
    const out: Snapshot[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${partition} and RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}` },
    });
    for await (const row of rows) {
      out.push(decodeSnapshotRow(row, `snapshot ${String(row.rowKey)} of ${partitionLabel(partition)}`));
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
    return out;
  }

  async getSnapshot(partition: string, id: string): Promise<Snapshot | undefined> {
    const row = await this.table.getRow(partition, snapshotRowKey(id), `snapshot ${id} of ${partitionLabel(partition)}`);
    return row && decodeSnapshotRow(row, `snapshot ${id} of ${partitionLabel(partition)}`);
  }

  /**
   * Removes the snapshots taken before `cutoff`. Idempotent: snapshots another run removed
   * meanwhile are simply gone. Returns how many this call removed.
   */
  async deleteSnapshotsBefore(partition: string, cutoffId: string): Promise<number> {
    const client = await this.table.ready();
    // Older = larger inverted ticks = RowKeys after the cutoff's.
    const keys: string[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${partition} and RowKey gt ${snapshotRowKey(cutoffId)} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}`,
        select: ["RowKey"],
      },
    });
    for await (const row of rows) keys.push(String(row.rowKey));
    let removed = 0;
    for (let i = 0; i < keys.length; i += MAX_TRANSACTION_OPERATIONS) {
      const chunk = keys.slice(i, i + MAX_TRANSACTION_OPERATIONS);
      try {
        await client.submitTransaction(chunk.map((rowKey): TransactionAction => ["delete", { partitionKey: partition, rowKey }]));
        removed += chunk.length;
      } catch (error) {
        if (!isNotFound(error)) throw new StoreError(`could not remove old snapshots of ${partitionLabel(partition)}`, error);
        // Someone removed one of them first; the batch is void, so remove one by one.
        for (const rowKey of chunk) {
          try {
            await client.deleteEntity(partition, rowKey);
            removed++;
          } catch (e) {
            if (!isNotFound(e)) throw new StoreError(`could not remove snapshot ${rowKey} of ${partitionLabel(partition)}`, e);
          }
        }
      }
    }
    return removed;
  }
}
