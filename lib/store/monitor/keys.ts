/**
 * Row keys of the Monitor table (layout: table.ts). Snapshots are `snapshot|{inverted ticks}`: .NET ticks (100 ns
 * since 0001-01-01) subtracted from DateTime.MaxValue and zero-padded to 19 digits, so a plain
 * ascending RowKey scan — the only order Table Storage has — returns the newest first.
 */
import { odata } from "@azure/data-tables";
import { parseMonitorPartition } from "../../model/account.js";

/** "tenant {id}", or "tenant {id} (account {key})" for an account other than the first: for messages. */
export function partitionLabel(partition: string): string {
  const { tenantId, key } = parseMonitorPartition(partition);
  return key === "" ? `tenant ${tenantId}` : `tenant ${tenantId} (account ${key})`;
}

/**
 * An OData filter on every Monitor partition of a tenant: its first account's (the tenant id) and
 * the others' (`{tenantId}|{key}`): "|" sorts before "}", so they lie between `{id}|` and `{id}}`.
 */
export function tenantPartitionsFilter(tenantId: string): string {
  return odata`(PartitionKey eq ${tenantId} or (PartitionKey gt ${`${tenantId}|`} and PartitionKey lt ${`${tenantId}}`}))`;
}

export const STATE_ROW = "state";
export const SNAPSHOT_PREFIX = "snapshot|";
export const ALERT_PREFIX = "alert|";
/** The character after "|": `RowKey lt 'snapshot}'` ends a prefix scan. */
export const prefixEnd = (prefix: string): string => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const MAX_TICKS = 3155378975999999999n;
const EPOCH_TICKS = 621355968000000000n;

export function invertedTicks(at: Date): string {
  const ticks = EPOCH_TICKS + BigInt(at.getTime()) * 10_000n;
  return (MAX_TICKS - ticks).toString().padStart(19, "0");
}

export function timeOfInvertedTicks(id: string): Date {
  if (!/^\d{19}$/.test(id)) throw new Error(`not a snapshot id: "${id}"`);
  const ticks = MAX_TICKS - BigInt(id);
  return new Date(Number((ticks - EPOCH_TICKS) / 10_000n));
}

export const snapshotRowKey = (id: string): string => `${SNAPSHOT_PREFIX}${id}`;
export const alertRowKey = (id: string): string => `${ALERT_PREFIX}${id}`;
/** Where an unreadable `state` row is moved aside: `state-corrupt|{inverted ticks}` (newest first). */
export const CORRUPT_STATE_PREFIX = "state-corrupt|";
/** The tenant's check lease (codecs/lease.ts). */
export const LEASE_ROW = "lease";
/** Partitions that are not tenant ids (no tenant scan sees them): the sender's shared markers. */
export const DELIVERY_PARTITION = "~delivery";
export const DIGEST_PARTITION = "~digest";
/** The global recipients' roll-ups (codecs/rollup.ts): `lease`, and one row per roll-up. */
export const ROLLUP_PARTITION = "~rollup";
export const ROLLUP_LEASE_ROW = "lease";
/** Budgets every process of the app shares (codecs/budget.ts): one ledger row per budget. */
export const BUDGET_PARTITION = "~budget";
export const GRAPH_REPORTS_BUDGET_ROW = "graph-reports";
/** The row every process upserts to learn the storage service's time (storage-clock.ts); it holds nothing. */
export const CLOCK_PARTITION = "~clock";
export const CLOCK_ROW = "probe";
