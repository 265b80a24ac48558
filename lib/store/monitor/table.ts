/**
 * The Monitor table, and the one client every repository of it shares. PartitionKey = tenant id,
 * with one row kind per RowKey (codecs/ holds one codec per kind):
 * - `state` (codecs/state.ts): the tenant's monitoring state; `state-corrupt|{ticks}` an unreadable one moved aside;
 * - `snapshot|{inverted ticks}` (codecs/snapshot.ts): what a run saw, newest first;
 * - `alert|{id}` (codecs/alert.ts): the outbox, with its delivery columns;
 * - `lease` (codecs/lease.ts): a check queued or running;
 * - `ack|{findingKey}`, `exception|{id}`, `audit|{inverted ticks}|…` (codecs/standing.ts): operators'
 *   acknowledgements and exceptions and their audit trail; `~estate` holds the estate-wide exceptions.
 * Partitions that are not tenant ids hold the senders' shared markers (codecs/marker.ts):
 * `~delivery` (throttling) and `~digest` (the daily digest ledger); `~budget` holds the Graph
 * budgets every process shares (codecs/budget.ts); `~clock` one empty row each process upserts to
 * learn the service's time (storage-clock.ts).
 *
 * One LazyTable per store, so the table is created once per process however many repositories
 * use it, and every repository sees the same table name (tests isolate themselves by name).
 */
import type { TableEntityResult } from "@azure/data-tables";
import { LazyTable, type TableClientFactory } from "../connection.js";

export type Row = TableEntityResult<Record<string, unknown>>;

/** Entity-group transaction limits (Azure Table Storage). */
export const MAX_TRANSACTION_OPERATIONS = 100;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

export const DEFAULT_MONITOR_TABLE = "Monitor";

export function openMonitorTable(client: TableClientFactory, name: string = DEFAULT_MONITOR_TABLE): LazyTable {
  return new LazyTable(client(name));
}
