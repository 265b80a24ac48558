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
 * sender from forming a roll-up beside the first, so the global list gets one message per window;
 * one lease per channel (`~rollup/lease-{channel}`) keeps two senders from sending through one
 * channel at once, and only that channel: a sender stuck in one channel's call holds no other.
 * Each channel's sending state is its own columns (codecs/rollup.ts), written by Merge of those
 * columns alone under its lease, so channels never race each other's writes.
 */
import { odata } from "@azure/data-tables";
import { errorMessage } from "../../errors/text.js";
import type { LazyTable } from "../connection.js";
import { ConcurrencyError, isNotFound, statusOf, StoreError, type InvalidRowHandler } from "../errors.js";
import { decodeDeliveryRow, MAX_ERROR_CHARS, ROLLUP_OWED, type DeliveryRow } from "./codecs/alert.js";
import {
  decodeRollup,
  encodeRefs,
  partColumn,
  partOf,
  ROLLUP_SCHEMA,
  rollupEntity,
  type RollupRef,
  type RollupRow,
  type RollupState,
} from "./codecs/rollup.js";
import { beyondHorizon, clampUntil } from "../../retry/horizon.js";
import { textColumn } from "./codecs/alert.js";
import { ALERT_PREFIX, alertRowKey, partitionLabel, prefixEnd, ROLLUP_LEASE_ROW, ROLLUP_PARTITION } from "./keys.js";
import type { Row } from "./table.js";

export type { RollupRef, RollupRow } from "./codecs/rollup.js";
export { partOf } from "./codecs/rollup.js";

const leaseKey = (channel?: string): string => (channel === undefined ? ROLLUP_LEASE_ROW : `${ROLLUP_LEASE_ROW}-${channel}`);
const isLeaseRow = (r: Row): boolean => String(r.rowKey).startsWith(ROLLUP_LEASE_ROW);
export { MAX_ROLLUP_MEMBERS } from "./codecs/rollup.js";

const byAge = (a: DeliveryRow, b: DeliveryRow): number =>
  a.alert.createdAt.localeCompare(b.alert.createdAt) || a.partition.localeCompare(b.partition) || a.alert.id.localeCompare(b.alert.id);

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
      if (!r || !r.members.some((m) => m.partition === row.partition && m.id === row.alert.id)) stray.push(row);
    }
    return stray;
  }

  async getAlert(ref: RollupRef): Promise<DeliveryRow | undefined> {
    const row = await this.table.getRow(ref.partition, alertRowKey(ref.id), `alert ${ref.id} of ${partitionLabel(ref.partition)}`);
    return row && decodeDeliveryRow(row);
  }

  /**
   * Moves an alert's Rollup column from what `row` read to `value`, conditioned on its ETag.
   * False when the row changed since (another sender, or its own delivery): read it again.
   */
  async markAlert(row: DeliveryRow, value: string): Promise<boolean> {
    const client = await this.table.ready();
    try {
      await client.updateEntity({ partitionKey: row.partition, rowKey: alertRowKey(row.alert.id), Rollup: value }, "Merge", { etag: row.etag });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || isNotFound(error)) return false;
      throw new StoreError(`could not mark alert ${row.alert.id} of ${partitionLabel(row.partition)} for the roll-up`, error);
    }
  }

  /**
   * A lease: forming roll-ups (`channel` unset) or sending through `channel`. True if `holder` has it until `now + leaseMs`.
   * A stored Until beyond the wait horizon (a broken clock) does not hold anyone off.
   */
  async lease(holder: string, now: Date, leaseMs: number, channel?: string): Promise<boolean> {
    const client = await this.table.ready();
    const key = leaseKey(channel);
    const row = await this.table.getRow(ROLLUP_PARTITION, key, "the roll-up lease");
    const until = Date.parse(textColumn(row?.Until) ?? "");
    if (row && textColumn(row.Holder) !== holder && until > now.getTime() && !beyondHorizon(now.getTime(), until)) return false;
    const entity = rollupEntity(key, { Holder: holder, Until: new Date(now.getTime() + leaseMs).toISOString() });
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

  async release(holder: string, channel?: string): Promise<void> {
    const key = leaseKey(channel);
    const row = await this.table.getRow(ROLLUP_PARTITION, key, "the roll-up lease");
    if (!row || textColumn(row.Holder) !== holder) return;
    const client = await this.table.ready();
    try {
      await client.updateEntity(rollupEntity(key, { Holder: "", Until: "" }), "Replace", { etag: row.etag });
    } catch {
      // Another sender took it, or storage failed: the lease lapses by itself.
    }
  }

  /** Roll-ups not yet sent nor failed, oldest first: each one some channel still owes, and at most one forming unless a lease lapsed. */
  async listOpen(): Promise<RollupRow[]> {
    const rows = await this.scan(odata`PartitionKey eq ${ROLLUP_PARTITION} and RowKey ne ${ROLLUP_LEASE_ROW} and State ne 'sent' and State ne 'failed'`);
    return rows
      .filter((r) => !isLeaseRow(r))
      .map(decodeRollup)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Roll-ups that failed for good on some channel (their alerts stay `in:{id}`), oldest first: `alerts requeue` puts them back. */
  async listFailed(): Promise<RollupRow[]> {
    const rows = await this.scan(odata`PartitionKey eq ${ROLLUP_PARTITION} and RowKey ne ${ROLLUP_LEASE_ROW} and State eq 'failed'`);
    return rows
      .filter((r) => !isLeaseRow(r))
      .map(decodeRollup)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /**
   * Puts a failed roll-up back in line (an operator fixed the sender): the same members, its sent
   * channels stay sent, the dead ones are tried again under a new generation (a new ACS operation
   * id and webhook key: the old operation would only answer with the verdict it gave).
   */
  requeue(r: RollupRow): Promise<RollupRow> {
    const parts = Object.fromEntries(
      r.deadChannels.flatMap((c) => [
        [partColumn("Dead", c), ""],
        [partColumn("Attempts", c), 0],
        [partColumn("Next", c), ""],
      ]),
    );
    return this.merge(r, { State: "ready", Attempts: 0, NextAttemptAt: "", DeadChannels: "", ...parts, Generation: r.generation + 1 });
  }

  async get(id: string): Promise<RollupRow | undefined> {
    const row = await this.table.getRow(ROLLUP_PARTITION, id, `roll-up ${id}`);
    return row && decodeRollup(row);
  }

  /** Writes a new roll-up with the alerts it may cover, before any of them is marked. */
  async create(id: string, candidates: readonly RollupRef[], now: Date): Promise<RollupRow> {
    const client = await this.table.ready();
    try {
      await client.createEntity(
        rollupEntity(id, { Schema: ROLLUP_SCHEMA, State: "forming", CreatedAt: now.toISOString(), Attempts: 0, ...encodeRefs("Candidates", candidates) }),
      );
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

  /** `channel`'s own columns, by a Merge of those alone: the channel's lease keeps its writers to one, and no channel moves another's. */
  private async mergePart(r: RollupRow, columns: Record<string, string | number>): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.updateEntity(rollupEntity(r.id, columns), "Merge");
    } catch (error) {
      if (isNotFound(error)) throw new ConcurrencyError(ROLLUP_PARTITION, error);
      throw new StoreError(`could not update roll-up ${r.id}`, error);
    }
  }

  recordChannelSent(r: RollupRow, channel: string, now: Date): Promise<void> {
    return this.mergePart(r, { [partColumn("Sent", channel)]: now.toISOString(), [partColumn("Next", channel)]: "" });
  }

  recordChannelDead(r: RollupRow, channel: string, error: string): Promise<void> {
    const text = error.slice(0, MAX_ERROR_CHARS);
    return this.mergePart(r, { [partColumn("Dead", channel)]: "1", [partColumn("Next", channel)]: "", [partColumn("Error", channel)]: text, LastError: text });
  }

  /** A channel's failed or held-back try: `counted` false for a wait (429, quota), which never spends an attempt. Clamped to the wait horizon. */
  recordChannelWait(r: RollupRow, channel: string, next: { now: Date; until: Date; error: string; counted: boolean }): Promise<void> {
    const part = partOf(r, channel);
    return this.mergePart(r, {
      [partColumn("Next", channel)]: new Date(clampUntil(next.now.getTime(), next.until.getTime())).toISOString(),
      [partColumn("Error", channel)]: next.error.slice(0, MAX_ERROR_CHARS),
      [partColumn("Attempts", channel)]: part.attempts + (next.counted ? 1 : 0),
    });
  }

  finish(r: RollupRow, state: Extract<RollupState, "sent" | "failed">, now: Date): Promise<RollupRow> {
    return this.merge(r, { State: state, NextAttemptAt: "", ...(state === "sent" ? { SentAt: now.toISOString() } : {}) });
  }

  /** After the roll-up went out: the alert's Rollup column says so (unconditional Merge of that column alone). */
  async markCovered(ref: RollupRef, value: string): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.updateEntity({ partitionKey: ref.partition, rowKey: alertRowKey(ref.id), Rollup: value }, "Merge");
    } catch (error) {
      if (isNotFound(error)) return;
      throw new StoreError(`could not mark alert ${ref.id} of ${partitionLabel(ref.partition)} as covered`, error);
    }
  }
}
