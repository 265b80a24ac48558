/**
 * Reading an account's `state` row, and moving an unreadable one aside. (It is written only by
 * `commitRun`, together with what the run decided: runs.ts.) Every method takes the account's
 * Monitor partition (lib/model/account.ts `monitorPartition`): the tenant id for its first account.
 */
import { odata } from "@azure/data-tables";
import type { TenantState } from "../../model/state.js";
import { NewerSchemaError } from "../../model/versioned.js";
import { errorMessage } from "../../errors/text.js";
import type { LazyTable } from "../connection.js";
import { statusOf, StoreError, type InvalidRowHandler } from "../errors.js";
import { decodeStateRow, rawProperties } from "./codecs/state.js";
import { CORRUPT_STATE_PREFIX, invertedTicks, partitionLabel, STATE_ROW } from "./keys.js";
import type { Row } from "./table.js";
import { parseMonitorPartition } from "../../model/account.js";

/**
 * A tenant's `state` row exists but does not parse (hand-edited, truncated). Not a storage failure,
 * and retrying cannot fix it: the row has to be moved aside (`quarantineState`) for the tenant to
 * be monitored again. A row written by a newer version is not this: NewerSchemaError, left as it is.
 */
export class CorruptStateError extends Error {
  /** The tenant and account the row is of. */
  readonly tenantId: string;
  readonly accountKey: string;
  constructor(
    /** The account's Monitor partition. */
    readonly partition: string,
    /** The ETag of the unreadable row, so moving it aside cannot remove a state written since. */
    readonly etag: string,
    readonly detail: string,
  ) {
    super(`the stored state of ${partitionLabel(partition)} is unreadable: ${detail}`);
    this.name = "CorruptStateError";
    ({ tenantId: this.tenantId, key: this.accountKey } = parseMonitorPartition(partition));
  }
}

/** A state with the account it is of filled from its partition (rows written before accounts lack it). */
function ofPartition(state: TenantState, partition: string): TenantState {
  const { key } = parseMonitorPartition(partition);
  return key === "" ? state : { ...state, accountKey: key };
}

export interface StoredState {
  readonly state: TenantState;
  readonly etag: string;
}

export class StateRepository {
  constructor(private readonly table: LazyTable) {}

  private readStateRow(partition: string): Promise<Row | undefined> {
    return this.table.getRow(partition, STATE_ROW, `the state of ${partitionLabel(partition)}`);
  }

  /**
   * The tenant's state; CorruptStateError when the row exists but does not parse, NewerSchemaError
   * when a newer version of Drift Monitor wrote it (to be read by that version, never moved aside).
   */
  async readState(partition: string): Promise<StoredState | undefined> {
    const row = await this.readStateRow(partition);
    if (!row) return undefined;
    let state: TenantState;
    try {
      state = decodeStateRow(row, partition);
    } catch (error) {
      if (error instanceof NewerSchemaError) throw error;
      throw new CorruptStateError(partition, row.etag, errorMessage(error));
    }
    return { state: ofPartition(state, partition), etag: row.etag };
  }

  /**
   * The latest state of every account of every tenant (a cross-partition scan: for the digest and
   * the estate view), each with its tenantId and accountKey. A row that does not parse is left out
   * and reported to `onInvalid`: one account's bad row must not hide every other.
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
      const partition = String(row.partitionKey);
      try {
        out.push(ofPartition(decodeStateRow(row, partition), partition));
      } catch (error) {
        options.onInvalid?.({ tenantId: parseMonitorPartition(partition).tenantId, rowKey: STATE_ROW, error: errorMessage(error) });
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
  async quarantineState(partition: string, etag: string, now: Date, reason: string): Promise<string | undefined> {
    const row = await this.readStateRow(partition);
    if (!row || row.etag !== etag) return undefined;
    const rowKey = `${CORRUPT_STATE_PREFIX}${invertedTicks(now)}`;
    const note = { QuarantinedAt: now.toISOString(), QuarantineReason: reason.slice(0, 4000) };
    const client = await this.table.ready();
    const attempt = async (copy: Record<string, unknown>) =>
      client.submitTransaction([
        ["upsert", { partitionKey: partition, rowKey, ...copy, ...note }, "Replace"],
        // A transaction's delete cannot carry an ETag: the read above is the guard, and a row
        // removed meanwhile fails the whole transaction (404).
        ["delete", { partitionKey: partition, rowKey: STATE_ROW }],
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
      throw new StoreError(`could not move the unreadable state of ${partitionLabel(partition)} aside`, error);
    }
    return rowKey;
  }
}
