/**
 * Delivery bookkeeping of the outbox rows (`alert|{id}` in the Monitor table) that `commitRun`
 * writes. Only delivery columns are ever written here (Merge), each conditioned on the ETag read,
 * so two senders (the queue trigger and the timer sweep) cannot both believe they own a row:
 *
 * - `claim` counts an attempt and leases the row (NextAttemptAt = now + lease) before anything is
 *   sent. A sender that crashes leaves the row leased; it is due again when the lease ends.
 * - `recordChannelSent` remembers each channel (email, webhook) that succeeded, so a retry does
 *   not repeat it; `markSent` ends the row's life.
 * - `recordFailure` keeps the last error and when to try next; `deadLetter` gives up
 *   (Delivery = "failed", DeadLetteredAt) — the digest and the status list those rows.
 *
 * Columns besides the Monitor repository's Delivery/Attempts/SentAt/LastError: LastAttemptAt,
 * NextAttemptAt, DeadLetteredAt, SentChannels (comma-separated). Rows written before any attempt
 * lack them and read as "due now".
 */
import { odata, type TableEntityResult } from "@azure/data-tables";
import type { StorageTarget } from "../config/settings.js";
import { outboxAlertSchema, type OutboxAlert } from "../model/state.js";
import { decodeValue } from "./codec.js";
import { LazyTable, tableClientFactory, type TableClientFactoryOptions } from "./connection.js";
import { ConcurrencyError, isNotFound, statusOf, StoreError } from "./errors.js";
import { ALERT_PREFIX, alertRowKey, prefixEnd } from "./keys.js";
import { DELIVERY_STATES, type DeliveryState } from "./monitor.js";

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
  const attempts = typeof row.Attempts === "number" && Number.isInteger(row.Attempts) ? row.Attempts : 0;
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
  };
}

const isDue = (r: DeliveryRow, now: Date): boolean =>
  r.delivery === "pending" && (r.nextAttemptAt === null || Date.parse(r.nextAttemptAt) <= now.getTime());

const byAge = (a: DeliveryRow, b: DeliveryRow): number =>
  a.alert.createdAt.localeCompare(b.alert.createdAt) || a.tenantId.localeCompare(b.tenantId) || a.alert.id.localeCompare(b.alert.id);

export class OutboxDeliveryRepository {
  constructor(private readonly table: LazyTable) {}

  private async client() {
    try {
      return await this.table.ready();
    } catch (error) {
      throw new StoreError(`could not open table ${this.table.name}`, error);
    }
  }

  private async list(filter: string, onInvalid?: InvalidRowHandler): Promise<DeliveryRow[]> {
    const client = await this.client();
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
        onInvalid?.({ tenantId: String(row.partitionKey), rowKey: String(row.rowKey), error: error instanceof Error ? error.message : String(error) });
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
    const client = await this.client();
    try {
      return toRow(await client.getEntity<Record<string, unknown>>(tenantId, alertRowKey(id)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new StoreError(`could not read alert ${id} of tenant ${tenantId}`, error);
    }
  }

  /** Merge of delivery columns, conditioned on the row's ETag; returns the row as now stored. */
  private async merge(row: DeliveryRow, columns: Record<string, string | number>, patch: Partial<DeliveryRow>): Promise<DeliveryRow> {
    const client = await this.client();
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
    if (!/^[a-z0-9-]+$/.test(channel)) throw new Error(`channel name "${channel}" must be lower-case letters, digits and dashes`);
    const sentChannels = [...new Set([...row.sentChannels, channel])];
    return this.merge(row, { SentChannels: sentChannels.join(",") }, { sentChannels });
  }

  async recordFailure(row: DeliveryRow, failure: { error: string; nextAttemptAt: Date }): Promise<DeliveryRow> {
    const lastError = failure.error.slice(0, MAX_ERROR_CHARS);
    const nextAttemptAt = failure.nextAttemptAt.toISOString();
    return this.merge(row, { LastError: lastError, NextAttemptAt: nextAttemptAt }, { lastError, nextAttemptAt });
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

  /** Puts a dead-lettered row back in line (an operator fixed the sender): attempts start over. */
  async requeue(row: DeliveryRow): Promise<DeliveryRow> {
    return this.merge(
      row,
      { Delivery: "pending", Attempts: 0, DeadLetteredAt: "", NextAttemptAt: "" },
      { delivery: "pending", attempts: 0, deadLetteredAt: null, nextAttemptAt: null },
    );
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
