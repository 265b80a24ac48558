/**
 * Everything one run decides is written by `commitRun` in ONE entity-group transaction, so a run
 * is either wholly recorded or not at all: the state cannot move on without the alert it decided,
 * and an alert cannot exist for a state that was not stored.
 */
import type { TransactionAction } from "@azure/data-tables";
import type { OutboxAlert, Snapshot, TenantState } from "../../model/state.js";
import type { LazyTable } from "../connection.js";
import { ConcurrencyError, statusOf, StoreError } from "../errors.js";
import { encodeAlertRow } from "./codecs/alert.js";
import { encodeSnapshotRow } from "./codecs/snapshot.js";
import { encodeStateRow } from "./codecs/state.js";
import { partitionLabel } from "./keys.js";
import { monitorPartition } from "../../model/account.js";
import { MAX_TRANSACTION_BYTES, MAX_TRANSACTION_OPERATIONS } from "./table.js";

/** What one run of one account writes. */
export interface RunWrite {
  /** The account's Monitor partition (lib/model/account.ts `monitorPartition`): every row below must be of that account. */
  readonly partition: string;
  /** The ETag of the state the run read; null = there was none, so the state must not exist yet. */
  readonly expectedEtag: string | null;
  readonly state: TenantState;
  readonly snapshot?: Snapshot;
  readonly alerts: readonly OutboxAlert[];
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

/** The transaction's actions; throws before anything is sent when they would not fit in one. */
/** Whether a row of (tenantId, accountKey) belongs in the partition. */
function belongs(row: { readonly tenantId: string; readonly accountKey?: string | undefined }, pk: string): boolean {
  return monitorPartition(row.tenantId, row.accountKey ?? "") === pk;
}

function runActions(write: RunWrite): TransactionAction[] {
  const pk = write.partition;
  if (!belongs(write.state, pk)) throw new Error(`commitRun: state of ${write.state.tenantId} (account "${write.state.accountKey ?? ""}") in partition ${pk}`);
  const stateEntity = encodeStateRow(pk, write.state);
  const actions: TransactionAction[] = [
    write.expectedEtag === null ? ["create", stateEntity] : ["update", stateEntity, "Replace", { etag: write.expectedEtag }],
  ];
  if (write.snapshot) {
    if (!belongs(write.snapshot, pk)) throw new Error(`commitRun: snapshot of ${write.snapshot.tenantId} in partition ${pk}`);
    actions.push(["create", encodeSnapshotRow(pk, write.snapshot)]);
  }
  for (const alert of write.alerts) {
    if (!belongs(alert, pk)) throw new Error(`commitRun: alert of ${alert.tenantId} in partition ${pk}`);
    actions.push(["create", encodeAlertRow(pk, alert)]);
  }
  if (actions.length > MAX_TRANSACTION_OPERATIONS) {
    throw new Error(`commitRun: ${actions.length} operations, more than the ${MAX_TRANSACTION_OPERATIONS} one transaction allows`);
  }
  const bytes = actions.reduce((n, a) => n + wireBytes(a[1]), 0);
  if (bytes > MAX_TRANSACTION_BYTES - 64 * 1024) {
    throw new Error(`commitRun: about ${bytes} bytes, more than the 4 MiB one transaction allows; nothing was written`);
  }
  return actions;
}

export class RunWriter {
  constructor(private readonly table: LazyTable) {}

  /**
   * Writes the run atomically. Throws ConcurrencyError when the state changed since it was read
   * (or a first run finds one): re-read and re-decide. Throws StoreError for anything else.
   */
  async commitRun(write: RunWrite): Promise<{ etag: string }> {
    const pk = write.partition;
    const actions = runActions(write);
    const client = await this.table.ready();
    let response;
    try {
      response = await client.submitTransaction(actions);
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409) throw new ConcurrencyError(pk, error);
      throw new StoreError(`could not write the run of ${partitionLabel(pk)}`, error);
    }
    const etag = response.subResponses[0]?.etag;
    if (!etag) throw new StoreError(`the run of ${partitionLabel(pk)} was written but its ETag was not returned`, response.status);
    return { etag };
  }
}
