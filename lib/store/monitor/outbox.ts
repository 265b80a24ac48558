/**
 * Delivery bookkeeping of the outbox rows (`alert|{id}` in the Monitor table) that `commitRun`
 * writes. Only delivery columns are ever written here (Merge), each conditioned on the ETag read,
 * so two senders (the queue trigger and the timer sweep) cannot both believe they own a row:
 *
 * - `claim` counts an attempt and leases the row (NextAttemptAt = now + lease) before anything is
 *   sent. A sender that crashes leaves the row leased; it is due again when the lease ends.
 * - `recordChannelSent` remembers each channel (email, webhook) that succeeded, so a retry does
 *   not repeat it; `recordChannelDead` each channel given up on (the others go on); `markSent`
 *   ends the row's life.
 * - `recordFailure` keeps the last error and when to try next; a throttled try (429) gives its
 *   attempt back (Attempts - 1, Throttled + 1): being told to wait is not a failure, so a burst
 *   of alerts against a rate-limited sender is delayed, never dead-lettered. `deadLetter` gives
 *   up (Delivery = "failed", DeadLetteredAt) — the digest and the status list those rows.
 * - `requeue` puts a dead-lettered row back with a new Generation, which the ACS operation id
 *   includes: the operation the service failed is not simply looked up again.
 *
 * The row's columns are in codecs/alert.ts; the throttle and digest markers the senders share
 * are in markers.ts (same table).
 */
import { odata } from "@azure/data-tables";
import { errorMessage } from "../../errors/text.js";
import type { LazyTable } from "../connection.js";
import { ConcurrencyError, isNotFound, statusOf, StoreError, type InvalidRowHandler } from "../errors.js";
import { decodeDeliveryRow as toRow, MAX_ERROR_CHARS, type DeliveryRow, type DeliveryState } from "./codecs/alert.js";
import { checkChannel } from "./codecs/marker.js";
import { ALERT_PREFIX, alertRowKey, partitionLabel, prefixEnd, tenantPartitionsFilter } from "./keys.js";
import { parseMonitorPartition } from "../../model/account.js";
import { DeliveryMarkers } from "./markers.js";
import { ConsentMarker } from "./consent-marker.js";
import { beyondHorizon } from "../../retry/horizon.js";
import { RollupRepository } from "./rollups.js";
import { TableSendBudget, type SendBudget, type SendLimit } from "./send-budget.js";
import type { Row } from "./table.js";

interface ListOptions {
  /** One tenant's rows (every account's partition of it); absent = every tenant (a cross-partition scan). */
  readonly tenantId?: string;
  /** Told about rows that do not parse (they are left out rather than failing the list). */
  readonly onInvalid?: InvalidRowHandler;
}

/** Due: no next attempt, or it has come, or it lies beyond the wait horizon (an older version's or a broken clock's; the claim rewrites it). */
function isDue(r: DeliveryRow, now: Date): boolean {
  const next = r.nextAttemptAt === null ? NaN : Date.parse(r.nextAttemptAt);
  return r.delivery === "pending" && (r.nextAttemptAt === null || next <= now.getTime() || beyondHorizon(now.getTime(), next));
}

/** Whether two readings of a row agree on every delivery column (they may differ in Rollup only). */
const sameDelivery = (a: DeliveryRow, b: DeliveryRow): boolean =>
  a.delivery === b.delivery &&
  a.attempts === b.attempts &&
  a.lastAttemptAt === b.lastAttemptAt &&
  a.nextAttemptAt === b.nextAttemptAt &&
  a.sentAt === b.sentAt &&
  a.deadLetteredAt === b.deadLetteredAt &&
  a.lastError === b.lastError &&
  a.throttled === b.throttled &&
  a.generation === b.generation &&
  a.sentChannels.join(",") === b.sentChannels.join(",") &&
  a.deadChannels.join(",") === b.deadChannels.join(",");

const byAge = (a: DeliveryRow, b: DeliveryRow): number =>
  a.alert.createdAt.localeCompare(b.alert.createdAt) || a.partition.localeCompare(b.partition) || a.alert.id.localeCompare(b.alert.id);

export class OutboxDeliveryRepository {
  /** The throttle and digest markers, in the same table. */
  readonly markers: DeliveryMarkers;
  /** The global recipients' roll-ups (rollups.ts), in the same table. */
  readonly rollups: RollupRepository;
  /** The last consent summary the digest carried (consent-marker.ts), in the same table. */
  readonly consent: ConsentMarker;

  constructor(private readonly table: LazyTable) {
    this.markers = new DeliveryMarkers(table);
    this.consent = new ConsentMarker(table);
    this.rollups = new RollupRepository(table);
  }

  /** A sending budget every process shares (send-budget.ts), one ledger row per limit in this table. */
  sendBudget(limits: readonly SendLimit[], options: { random?: () => number; sleep?: (ms: number) => Promise<void> } = {}): SendBudget {
    return new TableSendBudget(this.table, limits, options);
  }

  private async list(filter: string, onInvalid?: InvalidRowHandler): Promise<DeliveryRow[]> {
    const client = await this.table.ready();
    const rows: Row[] = [];
    try {
      for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(row);
    } catch (error) {
      throw new StoreError("could not list outbox rows", error);
    }
    // Decoded outside the try: a malformed row is its own problem, not "storage is down", and it
    // must not hold up every other tenant's alerts, so it is reported and left out.
    const out: DeliveryRow[] = [];
    for (const row of rows) {
      try {
        out.push(toRow(row));
      } catch (error) {
        onInvalid?.({ tenantId: parseMonitorPartition(String(row.partitionKey)).tenantId, rowKey: String(row.rowKey), error: errorMessage(error) });
      }
    }
    return out.sort(byAge);
  }

  private filterOf(delivery: DeliveryState, tenantId?: string): string {
    return tenantId
      ? `${tenantPartitionsFilter(tenantId)} and ` + odata`RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Delivery eq ${delivery}`
      : odata`RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Delivery eq ${delivery}`;
  }

  /** Rows not yet delivered nor dead-lettered, oldest first (of one tenant, or all: a cross-partition scan). */
  async listUndelivered(options: ListOptions = {}): Promise<DeliveryRow[]> {
    return this.list(this.filterOf("pending", options.tenantId), options.onInvalid);
  }

  /** Undelivered rows whose next attempt is due at `now` (not leased, not backing off). */
  async listDue(now: Date, options: ListOptions & { limit?: number } = {}): Promise<DeliveryRow[]> {
    const due = (await this.listUndelivered(options)).filter((r) => isDue(r, now));
    return options.limit === undefined ? due : due.slice(0, options.limit);
  }

  async listDeadLettered(options: ListOptions = {}): Promise<DeliveryRow[]> {
    return this.list(this.filterOf("failed", options.tenantId), options.onInvalid);
  }

  /** An alert by its account's Monitor partition (lib/model/account.ts `monitorPartition`) and id. */
  async get(partition: string, id: string): Promise<DeliveryRow | undefined> {
    const row = await this.table.getRow(partition, alertRowKey(id), `alert ${id} of ${partitionLabel(partition)}`);
    return row && toRow(row);
  }

  /**
   * Merge of delivery columns, conditioned on the row's ETag; returns the row as now stored. A 412
   * caused only by the roll-up marking the row (its Rollup column: rollups.ts) is not a lost race:
   * the delivery columns read are still current, so the write is retried on the fresh ETag.
   */
  private async merge(row: DeliveryRow, columns: Record<string, string | number>, patch: Partial<DeliveryRow>): Promise<DeliveryRow> {
    const client = await this.table.ready();
    let current = row;
    for (let i = 0; ; i++) {
      try {
        const r = await client.updateEntity({ partitionKey: row.partition, rowKey: alertRowKey(row.alert.id), ...columns }, "Merge", { etag: current.etag });
        return { ...current, ...patch, etag: r.etag ?? current.etag };
      } catch (error) {
        if (statusOf(error) === 412 && i < 3) {
          const fresh = await this.get(row.partition, row.alert.id).catch(() => undefined);
          if (fresh && sameDelivery(fresh, row)) {
            current = fresh;
            continue;
          }
        }
        // 412: another sender moved first. 404: the row is gone. Either way this sender lost it.
        if (statusOf(error) === 412 || isNotFound(error)) throw new ConcurrencyError(row.partition, error);
        throw new StoreError(`could not update alert ${row.alert.id} of ${partitionLabel(row.partition)}`, error);
      }
    }
  }

  /**
   * Counts an attempt and leases the row until `now + leaseMs`. Throws ConcurrencyError when
   * another sender claimed or finished it since it was read: skip it.
   */
  async claim(row: DeliveryRow, now: Date, leaseMs: number): Promise<DeliveryRow> {
    if (row.delivery !== "pending") throw new ConcurrencyError(row.partition, new Error(`alert ${row.alert.id} is ${row.delivery}`));
    const attempts = row.attempts + 1;
    const lastAttemptAt = now.toISOString();
    const nextAttemptAt = new Date(now.getTime() + leaseMs).toISOString();
    return this.merge(row, { Attempts: attempts, LastAttemptAt: lastAttemptAt, NextAttemptAt: nextAttemptAt }, { attempts, lastAttemptAt, nextAttemptAt });
  }

  async recordChannelSent(row: DeliveryRow, channel: string): Promise<DeliveryRow> {
    checkChannel(channel);
    const sentChannels = [...new Set([...row.sentChannels, channel])];
    return this.merge(row, { SentChannels: sentChannels.join(",") }, { sentChannels });
  }

  /** Gives up on one channel (DeadChannels), keeping its error; the row's other channels go on. */
  async recordChannelDead(row: DeliveryRow, channel: string, error: string): Promise<DeliveryRow> {
    checkChannel(channel);
    const deadChannels = [...new Set([...row.deadChannels, channel])];
    const lastError = error.slice(0, MAX_ERROR_CHARS);
    return this.merge(row, { DeadChannels: deadChannels.join(","), LastError: lastError }, { deadChannels, lastError });
  }

  /**
   * Keeps the error and when to try next. `throttled`: the service said "wait" (429), so the
   * attempt `claim` counted is given back and the row counts a throttle instead.
   */
  async recordFailure(row: DeliveryRow, failure: { error: string; nextAttemptAt: Date; throttled?: boolean }): Promise<DeliveryRow> {
    const lastError = failure.error.slice(0, MAX_ERROR_CHARS);
    const nextAttemptAt = failure.nextAttemptAt.toISOString();
    if (!failure.throttled) return this.merge(row, { LastError: lastError, NextAttemptAt: nextAttemptAt }, { lastError, nextAttemptAt });
    const attempts = Math.max(0, row.attempts - 1);
    const throttled = row.throttled + 1;
    return this.merge(
      row,
      { LastError: lastError, NextAttemptAt: nextAttemptAt, Attempts: attempts, Throttled: throttled },
      { lastError, nextAttemptAt, attempts, throttled },
    );
  }

  /** Ends the row's life; `channel` (the one that just succeeded) is recorded in the same write. */
  async markSent(row: DeliveryRow, now: Date, channel?: string): Promise<DeliveryRow> {
    const sentAt = now.toISOString();
    const sentChannels = channel ? [...new Set([...row.sentChannels, channel])] : [...row.sentChannels];
    return this.merge(
      row,
      { Delivery: "sent", SentAt: sentAt, NextAttemptAt: "", SentChannels: sentChannels.join(",") },
      { delivery: "sent", sentAt, nextAttemptAt: null, sentChannels },
    );
  }

  /** Ends the row's life undelivered on `channels` (added to DeadChannels in the same write); the sent ones stay sent. */
  async deadLetter(row: DeliveryRow, now: Date, error: string, channels: readonly string[] = []): Promise<DeliveryRow> {
    channels.forEach(checkChannel);
    const deadLetteredAt = now.toISOString();
    const lastError = error.slice(0, MAX_ERROR_CHARS);
    const deadChannels = [...new Set([...row.deadChannels, ...channels])];
    return this.merge(
      row,
      { Delivery: "failed", DeadLetteredAt: deadLetteredAt, LastError: lastError, NextAttemptAt: "", DeadChannels: deadChannels.join(",") },
      { delivery: "failed", deadLetteredAt, lastError, nextAttemptAt: null, deadChannels },
    );
  }

  /**
   * Puts a dead-lettered row back in line (an operator fixed the sender): attempts start over and
   * the generation goes up, so ACS gets a new operation id (the old one would only answer with
   * the verdict it already gave). Channels already recorded as sent stay sent; dead ones are tried again.
   */
  async requeue(row: DeliveryRow): Promise<DeliveryRow> {
    const generation = row.generation + 1;
    return this.merge(
      row,
      { Delivery: "pending", Attempts: 0, DeadLetteredAt: "", NextAttemptAt: "", Generation: generation, DeadChannels: "" },
      { delivery: "pending", attempts: 0, deadLetteredAt: null, nextAttemptAt: null, generation, deadChannels: [] },
    );
  }
}
