/**
 * Delivery bookkeeping of the outbox rows (`alert|{id}` in the Monitor table) that `commitRun`
 * writes. Only delivery columns are ever written here (Merge), each conditioned on the ETag read,
 * so two senders (the queue trigger and the timer sweep) cannot both believe they own a row:
 *
 * - `claim` counts an attempt and leases the row (NextAttemptAt = now + lease) before anything is
 *   sent. A sender that crashes leaves the row leased; it is due again when the lease ends.
 * - `recordChannelSent` remembers each channel (email, webhook) that succeeded, so a retry does
 *   not repeat it; `markSent` ends the row's life.
 * - `recordFailure` keeps the last error and when to try next; a throttled try (429) gives its
 *   attempt back (Attempts - 1, Throttled + 1): being told to wait is not a failure, so a burst
 *   of alerts against a rate-limited sender is delayed, never dead-lettered. `deadLetter` gives
 *   up (Delivery = "failed", DeadLetteredAt) — the digest and the status list those rows.
 * - `requeue` puts a dead-lettered row back with a new Generation, which the ACS operation id
 *   includes: the operation the service failed is not simply looked up again.
 *
 * Columns besides the Monitor repository's Delivery/Attempts/SentAt/LastError: LastAttemptAt,
 * NextAttemptAt, DeadLetteredAt, SentChannels (comma-separated), Throttled, Generation. Rows
 * written before any attempt lack them and read as "due now", generation 0.
 *
 * `DeliveryMarkers` (same table, partitions that are not tenant ids, so no tenant scan sees them):
 * - `~delivery` / `throttle-{channel}`: until when a channel (the ACS sender) asked everyone to
 *   wait. Written when it answers 429, read before sending, so every instance's queue trigger and
 *   sweep backs off together instead of stampeding a 5-a-minute sender.
 * - `~digest` / `{YYYY-MM-DD}`: which channels sent that day's digest (Sent_{channel}) and which
 *   run is sending one now (Claim_{channel}, a lease taken with the row's ETag).
 */
import { odata, type TableEntityResult } from "@azure/data-tables";
import type { StorageTarget } from "../config/settings.js";
import { outboxAlertSchema, type OutboxAlert } from "../model/state.js";
import { decodeValue } from "./codec.js";
import { LazyTable, tableClientFactory, type TableClientFactoryOptions } from "./connection.js";
import { ConcurrencyError, isNotFound, statusOf, StoreError } from "./errors.js";
import { ALERT_PREFIX, alertRowKey, prefixEnd } from "./keys.js";
import { DELIVERY_STATES, type DeliveryState } from "./monitor.js";
import { errorMessage } from "../errors/text.js";

export interface DeliveryRow {
  readonly tenantId: string;
  readonly alert: OutboxAlert;
  readonly etag: string;
  readonly delivery: DeliveryState;
  readonly attempts: number;
  readonly sentAt: string | null;
  readonly lastError: string | null;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly deadLetteredAt: string | null;
  readonly sentChannels: readonly string[];
  /** 429s met (they do not count as attempts). */
  readonly throttled: number;
  /** Times the row was requeued: part of the ACS operation id. */
  readonly generation: number;
}

export interface InvalidRow {
  readonly tenantId: string;
  readonly rowKey: string;
  readonly error: string;
}
export type InvalidRowHandler = (row: InvalidRow) => void;

export interface ListOptions {
  /** One tenant's rows; absent = every tenant (a cross-partition scan). */
  readonly tenantId?: string;
  /** Told about rows that do not parse (they are left out rather than failing the list). */
  readonly onInvalid?: InvalidRowHandler;
}

/** Errors are kept for people; bounded so a long HTML error page cannot bloat the row. */
export const MAX_ERROR_CHARS = 2000;

type Row = TableEntityResult<Record<string, unknown>>;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function toRow(row: Row): DeliveryRow {
  const tenantId = String(row.partitionKey);
  const what = `alert ${String(row.rowKey)} of tenant ${tenantId}`;
  const parsed = outboxAlertSchema.safeParse(decodeValue(row, what));
  if (!parsed.success) throw new Error(`${what} is invalid: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const delivery = DELIVERY_STATES.find((d) => d === row.Delivery);
  if (!delivery) throw new Error(`${what} has an invalid Delivery column`);
  const int = (v: unknown): number => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 0);
  const attempts = int(row.Attempts);
  return {
    tenantId,
    alert: parsed.data,
    etag: row.etag,
    delivery,
    attempts,
    sentAt: str(row.SentAt),
    lastError: str(row.LastError),
    lastAttemptAt: str(row.LastAttemptAt),
    nextAttemptAt: str(row.NextAttemptAt),
    deadLetteredAt: str(row.DeadLetteredAt),
    sentChannels: (str(row.SentChannels) ?? "").split(",").filter((c) => c !== ""),
    throttled: int(row.Throttled),
    generation: int(row.Generation),
  };
}

const isDue = (r: DeliveryRow, now: Date): boolean =>
  r.delivery === "pending" && (r.nextAttemptAt === null || Date.parse(r.nextAttemptAt) <= now.getTime());

const byAge = (a: DeliveryRow, b: DeliveryRow): number =>
  a.alert.createdAt.localeCompare(b.alert.createdAt) || a.tenantId.localeCompare(b.tenantId) || a.alert.id.localeCompare(b.alert.id);

export class OutboxDeliveryRepository {
  /** The throttle and digest markers, in the same table. */
  readonly markers: DeliveryMarkers;

  constructor(private readonly table: LazyTable) {
    this.markers = new DeliveryMarkers(table);
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
        onInvalid?.({ tenantId: String(row.partitionKey), rowKey: String(row.rowKey), error: errorMessage(error) });
      }
    }
    return out.sort(byAge);
  }

  private filterOf(delivery: DeliveryState, tenantId?: string): string {
    return tenantId
      ? odata`PartitionKey eq ${tenantId} and RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Delivery eq ${delivery}`
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

  async get(tenantId: string, id: string): Promise<DeliveryRow | undefined> {
    const row = await this.table.getRow(tenantId, alertRowKey(id), `alert ${id} of tenant ${tenantId}`);
    return row && toRow(row);
  }

  /** Merge of delivery columns, conditioned on the row's ETag; returns the row as now stored. */
  private async merge(row: DeliveryRow, columns: Record<string, string | number>, patch: Partial<DeliveryRow>): Promise<DeliveryRow> {
    const client = await this.table.ready();
    try {
      const r = await client.updateEntity({ partitionKey: row.tenantId, rowKey: alertRowKey(row.alert.id), ...columns }, "Merge", { etag: row.etag });
      return { ...row, ...patch, etag: r.etag ?? row.etag };
    } catch (error) {
      // 412: another sender moved first. 404: the row is gone. Either way this sender lost it.
      if (statusOf(error) === 412 || isNotFound(error)) throw new ConcurrencyError(row.tenantId, error);
      throw new StoreError(`could not update alert ${row.alert.id} of tenant ${row.tenantId}`, error);
    }
  }

  /**
   * Counts an attempt and leases the row until `now + leaseMs`. Throws ConcurrencyError when
   * another sender claimed or finished it since it was read: skip it.
   */
  async claim(row: DeliveryRow, now: Date, leaseMs: number): Promise<DeliveryRow> {
    if (row.delivery !== "pending") throw new ConcurrencyError(row.tenantId, new Error(`alert ${row.alert.id} is ${row.delivery}`));
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

  async deadLetter(row: DeliveryRow, now: Date, error: string): Promise<DeliveryRow> {
    const deadLetteredAt = now.toISOString();
    const lastError = error.slice(0, MAX_ERROR_CHARS);
    return this.merge(
      row,
      { Delivery: "failed", DeadLetteredAt: deadLetteredAt, LastError: lastError, NextAttemptAt: "" },
      { delivery: "failed", deadLetteredAt, lastError, nextAttemptAt: null },
    );
  }

  /**
   * Puts a dead-lettered row back in line (an operator fixed the sender): attempts start over and
   * the generation goes up, so ACS gets a new operation id (the old one would only answer with
   * the verdict it already gave). Channels already recorded as sent stay sent.
   */
  async requeue(row: DeliveryRow): Promise<DeliveryRow> {
    const generation = row.generation + 1;
    return this.merge(
      row,
      { Delivery: "pending", Attempts: 0, DeadLetteredAt: "", NextAttemptAt: "", Generation: generation },
      { delivery: "pending", attempts: 0, deadLetteredAt: null, nextAttemptAt: null, generation },
    );
  }
}

function checkChannel(channel: string): void {
  if (!/^[a-z0-9-]+$/.test(channel)) throw new Error(`channel name "${channel}" must be lower-case letters, digits and dashes`);
}

export const DELIVERY_PARTITION = "~delivery";
export const DIGEST_PARTITION = "~digest";
const throttleKey = (channel: string): string => `throttle-${channel}`;
/** Table property names cannot hold a dash. */
const column = (prefix: string, channel: string): string => `${prefix}_${channel.replace(/-/g, "_")}`;

/** What claimDigestChannel found: this run sends it, it was sent already, or another run is at it. */
export type DigestClaim = "claimed" | "sent" | "busy";

/** Shared markers of the sender's state: see the file comment. */
export class DeliveryMarkers {
  constructor(private readonly table: LazyTable) {}

  private read(partition: string, rowKey: string): Promise<Row | undefined> {
    return this.table.getRow(partition, rowKey, `${partition}/${rowKey}`);
  }

  /** Until when `channel` asked every sender to wait, or null. */
  async throttledUntil(channel: string): Promise<Date | null> {
    checkChannel(channel);
    const until = str((await this.read(DELIVERY_PARTITION, throttleKey(channel)))?.Until);
    const at = until === null ? NaN : Date.parse(until);
    return Number.isNaN(at) ? null : new Date(at);
  }

  /**
   * Records that `channel` asked for a wait until `until`. Only ever moves the mark later (a
   * stale, earlier 429 arriving last does not shorten it); a race between two writers may keep
   * the earlier of two close times, which costs one more 429, never a lost alert.
   */
  async recordThrottle(channel: string, until: Date, reason: string): Promise<void> {
    checkChannel(channel);
    const current = await this.throttledUntil(channel);
    if (current && current.getTime() >= until.getTime()) return;
    const client = await this.table.ready();
    try {
      await client.upsertEntity({ partitionKey: DELIVERY_PARTITION, rowKey: throttleKey(channel), Until: until.toISOString(), Reason: reason.slice(0, MAX_ERROR_CHARS) }, "Replace");
    } catch (error) {
      throw new StoreError(`could not record the throttling of ${channel}`, error);
    }
  }

  /** When `day`'s digest was sent through each channel (channel → ISO time). */
  async digestSent(day: string): Promise<Record<string, string>> {
    const row = await this.read(DIGEST_PARTITION, day);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(row ?? {})) {
      const m = /^Sent_([a-z0-9_]+)$/.exec(k);
      if (m?.[1] && typeof v === "string" && v !== "") out[m[1].replace(/_/g, "-")] = v;
    }
    return out;
  }

  /**
   * Takes the lease on sending `day`'s digest through `channel` (written with the row's ETag, or
   * created), unless it was sent already or another run holds a live lease.
   */
  async claimDigestChannel(day: string, channel: string, now: Date, leaseMs: number): Promise<DigestClaim> {
    checkChannel(channel);
    const sentCol = column("Sent", channel);
    const claimCol = column("Claim", channel);
    const client = await this.table.ready();
    for (let i = 0; i < 3; i++) {
      const row = await this.read(DIGEST_PARTITION, day);
      if (str(row?.[sentCol])) return "sent";
      const claimedUntil = str(row?.[claimCol]);
      if (claimedUntil && Date.parse(claimedUntil) > now.getTime()) return "busy";
      const entity = { partitionKey: DIGEST_PARTITION, rowKey: day, [claimCol]: new Date(now.getTime() + leaseMs).toISOString() };
      try {
        if (row) await client.updateEntity(entity, "Merge", { etag: row.etag });
        else await client.createEntity(entity);
        return "claimed";
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412 || isNotFound(error)) continue; // another run moved first: look again
        throw new StoreError(`could not claim the ${day} digest for ${channel}`, error);
      }
    }
    return "busy";
  }

  /** Records `day`'s digest as sent through `channel` (only this channel's columns: Merge, unconditional). */
  async recordDigestSent(day: string, channel: string, now: Date): Promise<void> {
    checkChannel(channel);
    const client = await this.table.ready();
    try {
      await client.upsertEntity({ partitionKey: DIGEST_PARTITION, rowKey: day, [column("Sent", channel)]: now.toISOString(), [column("Claim", channel)]: "" }, "Merge");
    } catch (error) {
      throw new StoreError(`could not record the ${day} digest as sent via ${channel}`, error);
    }
  }

  /** Gives the lease back after a failed send, so a later run the same day tries again. */
  async releaseDigestChannel(day: string, channel: string): Promise<void> {
    checkChannel(channel);
    const client = await this.table.ready();
    try {
      await client.upsertEntity({ partitionKey: DIGEST_PARTITION, rowKey: day, [column("Claim", channel)]: "" }, "Merge");
    } catch (error) {
      throw new StoreError(`could not release the ${day} digest for ${channel}`, error);
    }
  }
}

export interface OutboxDeliveryOptions extends TableClientFactoryOptions {
  readonly monitorTable?: string;
}

export function createOutboxDelivery(target: StorageTarget, options: OutboxDeliveryOptions = {}): OutboxDeliveryRepository {
  const name = options.monitorTable ?? "Monitor";
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) throw new Error(`table name "${name}" must be 3-63 letters and digits, starting with a letter`);
  return new OutboxDeliveryRepository(new LazyTable(tableClientFactory(target, options)(name)));
}
