/**
 * The global recipients' roll-ups (lib/alerts/rollup/send.ts is the sender): which alert rows
 * still owe the global list and the chat webhook a mention (their Rollup column), and the roll-up
 * rows in the `~rollup` partition that cover them.
 *
 * Never two roll-ups for one alert: an alert joins roll-up X only by a Merge of its Rollup column
 * from "owed" to "in:X" conditioned on the ETag read while it was "owed", so of two senders racing
 * for it one wins and the other gets 412. Only X's candidates (written in X's row before any of
 * them is marked) can be marked "in:X"; sealing re-reads each candidate and writes the members,
 * and only then is anything sent. A retry after a crash reads the same members and renders the
 * same message under the same ids. One lease (`~rollup/lease`, taken with its ETag) keeps a second
 * sender from forming a roll-up beside the first, so the global list gets one message per window.
 */
import { odata } from "@azure/data-tables";
import { errorMessage } from "../../errors/text.js";
import type { LazyTable } from "../connection.js";
import { ConcurrencyError, isNotFound, statusOf, StoreError, type InvalidRowHandler } from "../errors.js";
import { decodeDeliveryRow, MAX_ERROR_CHARS, ROLLUP_OWED, type DeliveryRow } from "./codecs/alert.js";
import { decodeRollup, encodeRefs, rollupEntity, type RollupRef, type RollupRow, type RollupState } from "./codecs/rollup.js";
import { textColumn } from "./codecs/alert.js";
import { ALERT_PREFIX, alertRowKey, prefixEnd, ROLLUP_LEASE_ROW, ROLLUP_PARTITION } from "./keys.js";
import type { Row } from "./table.js";

export type { RollupRef, RollupRow } from "./codecs/rollup.js";
export { MAX_ROLLUP_MEMBERS } from "./codecs/rollup.js";

const byAge = (a: DeliveryRow, b: DeliveryRow): number =>
  a.alert.createdAt.localeCompare(b.alert.createdAt) || a.tenantId.localeCompare(b.tenantId) || a.alert.id.localeCompare(b.alert.id);

export class RollupRepository {
  constructor(private readonly table: LazyTable) {}

  private async scan(filter: string): Promise<Row[]> {
    const client = await this.table.ready();
    const rows: Row[] = [];
    try {
      for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(row);
    } catch (error) {
      throw new StoreError("could not list roll-up rows", error);
    }
    return rows;
  }

  private async alertsWhere(rollup: string, onInvalid?: InvalidRowHandler): Promise<DeliveryRow[]> {
    const rows = await this.scan(odata`RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Rollup eq ${rollup}`);
    const out: DeliveryRow[] = [];
    for (const row of rows) {
      try {
        out.push(decodeDeliveryRow(row));
      } catch (error) {
        onInvalid?.({ tenantId: String(row.partitionKey), rowKey: String(row.rowKey), error: errorMessage(error) });
      }
    }
    return out.sort(byAge);
  }

  /** Alert rows the next roll-up covers, oldest first (a cross-partition scan). */
  listOwed(onInvalid?: InvalidRowHandler): Promise<DeliveryRow[]> {
    return this.alertsWhere(ROLLUP_OWED, onInvalid);
  }

  /** Alert rows roll-up `id` covers or is about to (for the status). */
  listIn(id: string): Promise<DeliveryRow[]> {
    return this.alertsWhere(`in:${id}`);
  }

  /**
   * Alerts marked into a roll-up that does not cover them: marked after it was sealed by a sender
   * whose lease had lapsed (a process paused for minutes). Put back to "owed" (ETag) by the caller.
   */
  async listStray(): Promise<DeliveryRow[]> {
    const rows = await this.scan(odata`RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Rollup gt 'in:' and Rollup lt 'in;'`);
    const cache = new Map<string, RollupRow | undefined>();
    const stray: DeliveryRow[] = [];
    for (const raw of rows) {
      let row: DeliveryRow;
      try {
        row = decodeDeliveryRow(raw);
      } catch {
        continue;
      }
      const id = (row.rollup ?? "").slice(3);
      if (!cache.has(id)) cache.set(id, await this.get(id));
      const r = cache.get(id);
      if (r?.state === "forming") continue;
      if (!r || !r.members.some((m) => m.tenantId === row.tenantId && m.id === row.alert.id)) stray.push(row);
    }
    return stray;
  }

  async getAlert(ref: RollupRef): Promise<DeliveryRow | undefined> {
    const row = await this.table.getRow(ref.tenantId, alertRowKey(ref.id), `alert ${ref.id} of tenant ${ref.tenantId}`);
    return row && decodeDeliveryRow(row);
  }

  /**
   * Moves an alert's Rollup column from what `row` read to `value`, conditioned on its ETag.
   * False when the row changed since (another sender, or its own delivery): read it again.
   */
  async markAlert(row: DeliveryRow, value: string): Promise<boolean> {
    const client = await this.table.ready();
    try {
      await client.updateEntity({ partitionKey: row.tenantId, rowKey: alertRowKey(row.alert.id), Rollup: value }, "Merge", { etag: row.etag });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || isNotFound(error)) return false;
      throw new StoreError(`could not mark alert ${row.alert.id} of tenant ${row.tenantId} for the roll-up`, error);
    }
  }

  /** The lease on forming and sending roll-ups: true if `holder` has it until `now + leaseMs`. */
  async lease(holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const client = await this.table.ready();
    const row = await this.table.getRow(ROLLUP_PARTITION, ROLLUP_LEASE_ROW, "the roll-up lease");
    const until = textColumn(row?.Until);
    if (row && textColumn(row.Holder) !== holder && until && Date.parse(until) > now.getTime()) return false;
    const entity = rollupEntity(ROLLUP_LEASE_ROW, { Holder: holder, Until: new Date(now.getTime() + leaseMs).toISOString() });
    try {
      if (row) await client.updateEntity(entity, "Replace", { etag: row.etag });
      else await client.createEntity(entity);
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) return false;
      throw new StoreError("could not take the roll-up lease", error);
    }
  }

  async release(holder: string): Promise<void> {
    const row = await this.table.getRow(ROLLUP_PARTITION, ROLLUP_LEASE_ROW, "the roll-up lease");
    if (!row || textColumn(row.Holder) !== holder) return;
    const client = await this.table.ready();
    try {
      await client.updateEntity(rollupEntity(ROLLUP_LEASE_ROW, { Holder: "", Until: "" }), "Replace", { etag: row.etag });
    } catch {
      // Another sender took it, or storage failed: the lease lapses by itself.
    }
  }

  /** Roll-ups not yet sent nor failed, oldest first (at most one, unless a lease lapsed mid-way). */
  async listOpen(): Promise<RollupRow[]> {
    const rows = await this.scan(odata`PartitionKey eq ${ROLLUP_PARTITION} and RowKey ne ${ROLLUP_LEASE_ROW} and State ne 'sent' and State ne 'failed'`);
    return rows.map(decodeRollup).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Roll-ups that failed for good on some channel (their alerts stay `in:{id}`), oldest first: `alerts requeue` puts them back. */
  async listFailed(): Promise<RollupRow[]> {
    const rows = await this.scan(odata`PartitionKey eq ${ROLLUP_PARTITION} and RowKey ne ${ROLLUP_LEASE_ROW} and State eq 'failed'`);
    return rows.map(decodeRollup).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /**
   * Puts a failed roll-up back in line (an operator fixed the sender): the same members, its sent
   * channels stay sent, the dead ones are tried again under a new generation (a new ACS operation
   * id and webhook key: the old operation would only answer with the verdict it gave).
   */
  requeue(r: RollupRow): Promise<RollupRow> {
    return this.merge(r, { State: "ready", Attempts: 0, NextAttemptAt: "", DeadChannels: "", Generation: r.generation + 1 });
  }

  async get(id: string): Promise<RollupRow | undefined> {
    const row = await this.table.getRow(ROLLUP_PARTITION, id, `roll-up ${id}`);
    return row && decodeRollup(row);
  }

  /** Writes a new roll-up with the alerts it may cover, before any of them is marked. */
  async create(id: string, candidates: readonly RollupRef[], now: Date): Promise<RollupRow> {
    const client = await this.table.ready();
    try {
      await client.createEntity(rollupEntity(id, { State: "forming", CreatedAt: now.toISOString(), Attempts: 0, ...encodeRefs("Candidates", candidates) }));
    } catch (error) {
      throw new StoreError(`could not create roll-up ${id}`, error);
    }
    const row = await this.get(id);
    if (!row) throw new StoreError(`roll-up ${id} vanished after it was written`, undefined);
    return row;
  }

  private async merge(r: RollupRow, columns: Record<string, string | number>): Promise<RollupRow> {
    const client = await this.table.ready();
    try {
      await client.updateEntity(rollupEntity(r.id, columns), "Merge", { etag: r.etag });
    } catch (error) {
      if (statusOf(error) === 412 || isNotFound(error)) throw new ConcurrencyError(ROLLUP_PARTITION, error);
      throw new StoreError(`could not update roll-up ${r.id}`, error);
    }
    const row = await this.get(r.id);
    if (!row) throw new ConcurrencyError(ROLLUP_PARTITION, new Error(`roll-up ${r.id} is gone`));
    return row;
  }

  /** Fixes what the roll-up covers: from now on it is sent as is, however often it is retried. */
  seal(r: RollupRow, members: readonly RollupRef[]): Promise<RollupRow> {
    return this.merge(r, { State: "ready", ...encodeRefs("Members", members) });
  }

  recordChannelSent(r: RollupRow, channel: string): Promise<RollupRow> {
    return this.merge(r, { SentChannels: [...new Set([...r.sentChannels, channel])].join(",") });
  }

  recordChannelDead(r: RollupRow, channel: string, error: string): Promise<RollupRow> {
    return this.merge(r, { DeadChannels: [...new Set([...r.deadChannels, channel])].join(","), LastError: error.slice(0, MAX_ERROR_CHARS) });
  }

  /** A failed or held-back try: `counted` false for a wait (429, quota), which never spends an attempt. */
  recordWait(r: RollupRow, nextAttemptAt: Date, error: string | null, counted: boolean): Promise<RollupRow> {
    return this.merge(r, {
      NextAttemptAt: nextAttemptAt.toISOString(),
      ...(error === null ? {} : { LastError: error.slice(0, MAX_ERROR_CHARS) }),
      ...(counted ? { Attempts: r.attempts + 1 } : {}),
    });
  }

  finish(r: RollupRow, state: Extract<RollupState, "sent" | "failed">, now: Date): Promise<RollupRow> {
    return this.merge(r, { State: state, NextAttemptAt: "", ...(state === "sent" ? { SentAt: now.toISOString() } : {}) });
  }

  /** After the roll-up went out: the alert's Rollup column says so (unconditional Merge of that column alone). */
  async markCovered(ref: RollupRef, value: string): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.updateEntity({ partitionKey: ref.tenantId, rowKey: alertRowKey(ref.id), Rollup: value }, "Merge");
    } catch (error) {
      if (isNotFound(error)) return;
      throw new StoreError(`could not mark alert ${ref.id} of tenant ${ref.tenantId} as covered`, error);
    }
  }
}
