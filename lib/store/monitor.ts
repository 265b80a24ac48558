/**
 * The Monitor table: PartitionKey = tenant id; RowKeys `state`, `snapshot|{inverted ticks}` and
 * `alert|{id}`. Everything one run decides is written by `commitRun` in ONE entity-group
 * transaction, so a run is either wholly recorded or not at all: the state cannot move on without
 * the alert it decided, and an alert cannot exist for a state that was not stored.
 */
import { odata, type TableEntity, type TableEntityResult, type TransactionAction } from "@azure/data-tables";
import { z } from "zod";
import {
  outboxAlertSchema,
  snapshotSchema,
  tenantStateSchema,
  type OutboxAlert,
  type Snapshot,
  type TenantState,
} from "../model/state.js";
import { decodeValue, encodeValue, type EncodedValue } from "./codec.js";
import { errorMessage } from "../errors/text.js";
import type { LazyTable } from "./connection.js";
import { ConcurrencyError, isNotFound, statusOf, StoreError } from "./errors.js";
import { ALERT_PREFIX, alertRowKey, invertedTicks, prefixEnd, SNAPSHOT_PREFIX, snapshotRowKey, STATE_ROW } from "./keys.js";
import type { InvalidRowHandler } from "./outbox-delivery.js";

/** Where an unreadable `state` row is moved aside: `state-corrupt|{inverted ticks}` (newest first). */
export const CORRUPT_STATE_PREFIX = "state-corrupt|";

/**
 * A tenant's `state` row exists but does not parse (hand-edited, written by an incompatible
 * version, truncated). Not a storage failure, and retrying cannot fix it: the row has to be moved
 * aside (`quarantineState`) for the tenant to be monitored again.
 */
export class CorruptStateError extends Error {
  constructor(
    readonly tenantId: string,
    /** The ETag of the unreadable row, so moving it aside cannot remove a state written since. */
    readonly etag: string,
    readonly detail: string,
  ) {
    super(`the stored state of tenant ${tenantId} is unreadable: ${detail}`);
    this.name = "CorruptStateError";
  }
}

/** Entity-group transaction limits (Azure Table Storage). */
export const MAX_TRANSACTION_OPERATIONS = 100;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

type Row = TableEntityResult<Record<string, unknown>>;

export interface StoredState {
  readonly state: TenantState;
  readonly etag: string;
}

export const DELIVERY_STATES = ["pending", "sent", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface AlertDelivery {
  readonly delivery: DeliveryState;
  readonly attempts: number;
  readonly sentAt: string | null;
  readonly lastError: string | null;
}

export interface StoredAlert extends AlertDelivery {
  readonly alert: OutboxAlert;
  readonly etag: string;
}

export interface SnapshotSummary {
  readonly id: string;
  readonly takenAt: string;
  readonly status: string;
  readonly factsDigest: string;
}

/** What one run writes. */
export interface RunWrite {
  readonly tenantId: string;
  /** The ETag of the state the run read; null = there was none, so the state must not exist yet. */
  readonly expectedEtag: string | null;
  readonly state: TenantState;
  readonly snapshot?: Snapshot;
  readonly alerts: readonly OutboxAlert[];
}

const deliverySchema = z.object({
  Delivery: z.enum(DELIVERY_STATES),
  Attempts: z.number().int().nonnegative(),
  SentAt: z.string().optional(),
  LastError: z.string().optional(),
});

function parseRow<T>(row: Record<string, unknown>, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(decodeValue(row, what));
  if (!parsed.success) throw new Error(`${what} is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** The properties of a row read back, without the keys and the service's own metadata. */
function rawProperties(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === "partitionKey" || k === "rowKey" || k === "etag" || k === "timestamp" || k.startsWith("odata.")) continue;
    out[k] = v;
  }
  return out;
}

/** Rough wire size of an entity in a batch: binary goes as base64 inside JSON. */
function wireBytes(entity: Record<string, unknown>): number {
  let n = 512;
  for (const [k, v] of Object.entries(entity)) {
    n += k.length + 40;
    if (v instanceof Uint8Array) n += Math.ceil(v.length / 3) * 4;
    else if (typeof v === "string") n += v.length * 2;
    else n += 32;
  }
  return n;
}

export class MonitorRepository {
  /** `table`: the Monitor table (public so the outbox delivery bookkeeping can share it). */
  constructor(readonly table: LazyTable) {}

  private readStateRow(tenantId: string): Promise<Row | undefined> {
    return this.table.getRow(tenantId, STATE_ROW, `the state of tenant ${tenantId}`);
  }

  /** The tenant's state; CorruptStateError when the row exists but does not parse. */
  async readState(tenantId: string): Promise<StoredState | undefined> {
    const row = await this.readStateRow(tenantId);
    if (!row) return undefined;
    let state: TenantState;
    try {
      state = parseRow(row, tenantStateSchema, `state of tenant ${tenantId}`);
    } catch (error) {
      throw new CorruptStateError(tenantId, row.etag, errorMessage(error));
    }
    return { state, etag: row.etag };
  }

  /**
   * The latest state of every tenant (a cross-partition scan: for the digest and the estate view).
   * A row that does not parse is left out and reported to `onInvalid`: one tenant's bad row must
   * not hide every other tenant.
   */
  async listStates(options: { onInvalid?: InvalidRowHandler } = {}): Promise<TenantState[]> {
    const client = await this.table.ready();
    const rows: Row[] = [];
    try {
      for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey eq ${STATE_ROW}` } })) rows.push(row);
    } catch (error) {
      throw new StoreError("could not list the tenants' states", error);
    }
    const out: TenantState[] = [];
    for (const row of rows) {
      const tenantId = String(row.partitionKey);
      try {
        out.push(parseRow(row, tenantStateSchema, `state of tenant ${tenantId}`));
      } catch (error) {
        options.onInvalid?.({ tenantId, rowKey: STATE_ROW, error: errorMessage(error) });
      }
    }
    return out;
  }

  /**
   * Moves an unreadable `state` row aside: ONE transaction copies it to
   * `state-corrupt|{inverted ticks of now}` (with the parse error and when) and deletes `state`,
   * provided `state` is still the row found unreadable (same ETag). The tenant's next run then starts from
   * no state, and the bad row is kept for a person to look at.
   *
   * Returns the RowKey it was moved to, or undefined when `state` is no longer that row (another
   * run moved or replaced it meanwhile: read it again).
   */
  async quarantineState(tenantId: string, etag: string, now: Date, reason: string): Promise<string | undefined> {
    const row = await this.readStateRow(tenantId);
    if (!row || row.etag !== etag) return undefined;
    const rowKey = `${CORRUPT_STATE_PREFIX}${invertedTicks(now)}`;
    const note = { QuarantinedAt: now.toISOString(), QuarantineReason: reason.slice(0, 4000) };
    const client = await this.table.ready();
    const attempt = async (copy: Record<string, unknown>) =>
      client.submitTransaction([
        ["upsert", { partitionKey: tenantId, rowKey, ...copy, ...note }, "Replace"],
        // A transaction's delete cannot carry an ETag: the read above is the guard, and a row
        // removed meanwhile fails the whole transaction (404).
        ["delete", { partitionKey: tenantId, rowKey: STATE_ROW }],
      ]);
    try {
      try {
        await attempt(rawProperties(row));
      } catch (error) {
        const status = statusOf(error);
        if (status === 412 || status === 404) return undefined;
        // The copy itself may be what the service refuses (odd property types): keep the note only.
        await attempt({});
      }
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404) return undefined;
      throw new StoreError(`could not move the unreadable state of tenant ${tenantId} aside`, error);
    }
    return rowKey;
  }

  /**
   * Writes the run atomically. Throws ConcurrencyError when the state changed since it was read
   * (or a first run finds one): re-read and re-decide. Throws StoreError for anything else.
   */
  async commitRun(write: RunWrite): Promise<{ etag: string }> {
    const pk = write.tenantId;
    if (write.state.tenantId !== pk) throw new Error(`commitRun: state of ${write.state.tenantId} in partition ${pk}`);
    const stateEntity: TableEntity<EncodedValue> = {
      partitionKey: pk,
      rowKey: STATE_ROW,
      ...encodeValue(write.state, `state of tenant ${pk}`),
      Version: write.state.version,
      Status: write.state.lastReport.status,
      CheckedAt: write.state.lastReport.checkedAt,
      OpenFindings: write.state.findings.filter((f) => f.status === "open").length,
    };
    const actions: TransactionAction[] = [
      write.expectedEtag === null ? ["create", stateEntity] : ["update", stateEntity, "Replace", { etag: write.expectedEtag }],
    ];
    if (write.snapshot) {
      if (write.snapshot.tenantId !== pk) throw new Error(`commitRun: snapshot of ${write.snapshot.tenantId} in partition ${pk}`);
      actions.push([
        "create",
        {
          partitionKey: pk,
          rowKey: snapshotRowKey(write.snapshot.id),
          ...encodeValue(write.snapshot, `snapshot of tenant ${pk}`),
          TakenAt: write.snapshot.takenAt,
          Status: write.snapshot.report.status,
          FactsDigest: write.snapshot.factsDigest,
        },
      ]);
    }
    for (const alert of write.alerts) {
      if (alert.tenantId !== pk) throw new Error(`commitRun: alert of ${alert.tenantId} in partition ${pk}`);
      actions.push([
        "create",
        {
          partitionKey: pk,
          rowKey: alertRowKey(alert.id),
          ...encodeValue(alert, `alert ${alert.id} of tenant ${pk}`),
          CreatedAt: alert.createdAt,
          Kinds: [...new Set(alert.transitions.map((t) => t.kind))].join(","),
          Delivery: "pending",
          Attempts: 0,
        },
      ]);
    }
    if (actions.length > MAX_TRANSACTION_OPERATIONS) {
      throw new Error(`commitRun: ${actions.length} operations, more than the ${MAX_TRANSACTION_OPERATIONS} one transaction allows`);
    }
    const bytes = actions.reduce((n, a) => n + wireBytes(a[1]), 0);
    if (bytes > MAX_TRANSACTION_BYTES - 64 * 1024) {
      throw new Error(`commitRun: about ${bytes} bytes, more than the 4 MiB one transaction allows; nothing was written`);
    }

    const client = await this.table.ready();
    let response;
    try {
      response = await client.submitTransaction(actions);
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409) throw new ConcurrencyError(pk, error);
      throw new StoreError(`could not write the run of tenant ${pk}`, error);
    }
    const etag = response.subResponses[0]?.etag;
    if (!etag) throw new StoreError(`the run of tenant ${pk} was written but its ETag was not returned`, response.status);
    return { etag };
  }

  // -- snapshots ---------------------------------------------------------------------------

  /** Snapshot metadata, newest first (the Data parts are not fetched). */
  async listSnapshots(tenantId: string, options: { limit?: number } = {}): Promise<SnapshotSummary[]> {
    const client = await this.table.ready();
    const out: SnapshotSummary[] = [];
    const rows = client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${tenantId} and RowKey gt ${SNAPSHOT_PREFIX} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}`,
        select: ["RowKey", "TakenAt", "Status", "FactsDigest"],
      },
    });
    for await (const row of rows) {
      out.push({
        id: String(row.rowKey).slice(SNAPSHOT_PREFIX.length),
        takenAt: String(row.TakenAt),
        status: String(row.Status),
        factsDigest: String(row.FactsDigest),
      });
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
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
      out.push(parseRow(row, snapshotSchema, `snapshot ${String(row.rowKey)} of tenant ${tenantId}`));
      if (options.limit !== undefined && out.length >= options.limit) break;
    }
    return out;
  }

  async getSnapshot(tenantId: string, id: string): Promise<Snapshot | undefined> {
    const row = await this.table.getRow(tenantId, snapshotRowKey(id), `snapshot ${id} of tenant ${tenantId}`);
    return row && parseRow(row, snapshotSchema, `snapshot ${id} of tenant ${tenantId}`);
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
      queryOptions: { filter: odata`PartitionKey eq ${tenantId} and RowKey gt ${snapshotRowKey(cutoffId)} and RowKey lt ${prefixEnd(SNAPSHOT_PREFIX)}`, select: ["RowKey"] },
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

  // -- outbox ------------------------------------------------------------------------------

  private toStoredAlert(row: Row, tenantId: string): StoredAlert {
    const alert = parseRow(row, outboxAlertSchema, `alert ${String(row.rowKey)} of tenant ${tenantId}`);
    const d = deliverySchema.safeParse(row);
    if (!d.success) throw new Error(`alert ${String(row.rowKey)} of tenant ${tenantId} has invalid delivery columns`);
    return { alert, etag: row.etag, delivery: d.data.Delivery, attempts: d.data.Attempts, sentAt: d.data.SentAt || null, lastError: d.data.LastError || null };
  }

  async listAlerts(tenantId: string, options: { delivery?: DeliveryState } = {}): Promise<StoredAlert[]> {
    const client = await this.table.ready();
    const filter = options.delivery
      ? odata`PartitionKey eq ${tenantId} and RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Delivery eq ${options.delivery}`
      : odata`PartitionKey eq ${tenantId} and RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)}`;
    const out: StoredAlert[] = [];
    for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(this.toStoredAlert(row, tenantId));
    return out.sort((a, b) => a.alert.createdAt.localeCompare(b.alert.createdAt) || a.alert.id.localeCompare(b.alert.id));
  }

  async getAlert(tenantId: string, id: string): Promise<StoredAlert | undefined> {
    const row = await this.table.getRow(tenantId, alertRowKey(id), `alert ${id} of tenant ${tenantId}`);
    return row && this.toStoredAlert(row, tenantId);
  }

  /**
   * Records a delivery attempt (Merge of the delivery columns only). With `etag`, fails with
   * ConcurrencyError if another sender updated the row first.
   */
  async updateAlertDelivery(tenantId: string, id: string, delivery: AlertDelivery, etag?: string): Promise<{ etag: string }> {
    const client = await this.table.ready();
    try {
      const r = await client.updateEntity(
        {
          partitionKey: tenantId,
          rowKey: alertRowKey(id),
          Delivery: delivery.delivery,
          Attempts: delivery.attempts,
          SentAt: delivery.sentAt ?? "",
          LastError: delivery.lastError ?? "",
        },
        "Merge",
        etag ? { etag } : {},
      );
      return { etag: r.etag ?? "" };
    } catch (error) {
      if (statusOf(error) === 412) throw new ConcurrencyError(tenantId, error);
      throw new StoreError(`could not update alert ${id} of tenant ${tenantId}`, error);
    }
  }
}
