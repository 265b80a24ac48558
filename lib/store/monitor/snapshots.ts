/** A tenant's snapshots (written by `commitRun`, runs.ts): listed, read and pruned here. */
import { odata, type TransactionAction } from "@azure/data-tables";
import type { Snapshot } from "../../model/state.js";
import type { LazyTable } from "../connection.js";
import { isNotFound, StoreError } from "../errors.js";
import { decodeSnapshotRow, decodeSnapshotSummary, SUMMARY_COLUMNS, type SnapshotSummary } from "./codecs/snapshot.js";
import { prefixEnd, SNAPSHOT_PREFIX, snapshotRowKey } from "./keys.js";
import { MAX_TRANSACTION_OPERATIONS } from "./table.js";

export class SnapshotsRepository {
  constructor(private readonly table: LazyTable) {}

  /** Snapshot metadata, newest first (the Data parts are not fetched). */
  async listSnapshots(tenantId: string, options: { limit?: number } = {}): Promise<SnapshotSummary[]> {
    const client = await this.table.ready();
    const out: SnapshotSummary[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${tenantId} and RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}`,
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
   * Every tenant's snapshot metadata taken at or after `since` (ISO time), in one query over the
   * table (summary columns only): what the dashboard's estate chart is drawn from.
   */
  async listSnapshotSummariesSince(since: string): Promise<(SnapshotSummary & { readonly tenantId: string })[]> {
    const client = await this.table.ready();
    const out: (SnapshotSummary & { readonly tenantId: string })[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)} and TakenAt ge ${since}`,
        select: ["PartitionKey", ...SUMMARY_COLUMNS],
      },
    });
    for await (const row of rows) out.push({ tenantId: String(row.partitionKey), ...decodeSnapshotSummary(row) });
    return out;
  }

  /** Whole snapshots, newest first. */
  async readSnapshots(tenantId: string, options: { limit?: number } = {}): Promise<Snapshot[]> {
    const client = await this.table.ready();
    const out: Snapshot[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}` },
    });
    for await (const row of rows) {
      out.push(decodeSnapshotRow(row, `snapshot ${String(row.rowKey)} of tenant ${tenantId}`));
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
    return out;
  }

  async getSnapshot(tenantId: string, id: string): Promise<Snapshot | undefined> {
    const row = await this.table.getRow(tenantId, snapshotRowKey(id), `snapshot ${id} of tenant ${tenantId}`);
    return row && decodeSnapshotRow(row, `snapshot ${id} of tenant ${tenantId}`);
  }

  /**
   * Removes the snapshots taken before `cutoff`. Idempotent: snapshots another run removed
   * meanwhile are simply gone. Returns how many this call removed.
   */
  async deleteSnapshotsBefore(tenantId: string, cutoffId: string): Promise<number> {
    const client = await this.table.ready();
    // Older = larger inverted ticks = RowKeys after the cutoff's.
    const keys: string[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${tenantId} and RowKey gt ${snapshotRowKey(cutoffId)} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}`,
        select: ["RowKey"],
      },
    });
    for await (const row of rows) keys.push(String(row.rowKey));
    let removed = 0;
    for (let i = 0; i < keys.length; i += MAX_TRANSACTION_OPERATIONS) {
      const chunk = keys.slice(i, i + MAX_TRANSACTION_OPERATIONS);
      try {
        await client.submitTransaction(chunk.map((rowKey): TransactionAction => ["delete", { partitionKey: tenantId, rowKey }]));
        removed += chunk.length;
      } catch (error) {
        if (!isNotFound(error)) throw new StoreError(`could not remove old snapshots of tenant ${tenantId}`, error);
        // Someone removed one of them first; the batch is void, so remove one by one.
        for (const rowKey of chunk) {
          try {
            await client.deleteEntity(tenantId, rowKey);
            removed++;
          } catch (e) {
            if (!isNotFound(e)) throw new StoreError(`could not remove snapshot ${rowKey} of tenant ${tenantId}`, e);
          }
        }
      }
    }
    return removed;
  }
}
