/**
 * What the runner and the readers use of an account's Monitor partition, as one object: its state,
 * the run's atomic write, its snapshots and its alerts. Every method that addresses one account
 * takes its partition (lib/model/account.ts `monitorPartition(tenantId, key)`: the tenant id for
 * the tenant's first account, as every partition was before a tenant had several). Each concern is its own repository over the
 * same Monitor table; this only puts them behind the one name callers already hold
 * (`store.monitor`), so narrowing a dependency stays `Pick<MonitorRepository, ...>`.
 */
import type { Snapshot, TenantState } from "../../model/state.js";
import type { LazyTable } from "../connection.js";
import type { InvalidRowHandler } from "../errors.js";
import { AlertsRepository } from "./alerts.js";
import type { AlertDelivery, DeliveryState, StoredAlert } from "./codecs/alert.js";
import type { SnapshotSummary } from "./codecs/snapshot.js";
import { RunWriter, type RunWrite } from "./runs.js";
import { SnapshotsRepository } from "./snapshots.js";
import { StateRepository, type StoredState } from "./state.js";

export class MonitorRepository {
  private readonly states: StateRepository;
  private readonly runs: RunWriter;
  private readonly snapshots: SnapshotsRepository;
  private readonly alerts: AlertsRepository;

  /** `table`: the Monitor table, shared with the store's other Monitor repositories (outbox, leases). */
  constructor(readonly table: LazyTable) {
    this.states = new StateRepository(table);
    this.runs = new RunWriter(table);
    this.snapshots = new SnapshotsRepository(table);
    this.alerts = new AlertsRepository(table);
  }

  /** The account's state; CorruptStateError when the row exists but does not parse. */
  readState(partition: string): Promise<StoredState | undefined> {
    return this.states.readState(partition);
  }

  /** Every account's state (accountKey filled from the partition when not ""); unreadable rows are left out and told to `onInvalid`. */
  listStates(options: { onInvalid?: InvalidRowHandler } = {}): Promise<TenantState[]> {
    return this.states.listStates(options);
  }

  /** Moves an unreadable state aside (state.ts); undefined when it is no longer that row. */
  quarantineState(partition: string, etag: string, now: Date, reason: string): Promise<string | undefined> {
    return this.states.quarantineState(partition, etag, now, reason);
  }

  /** The run's state, snapshot and alerts in one transaction (runs.ts). */
  commitRun(write: RunWrite): Promise<{ etag: string }> {
    return this.runs.commitRun(write);
  }

  listSnapshots(partition: string, options: { limit?: number } = {}): Promise<SnapshotSummary[]> {
    return this.snapshots.listSnapshots(partition, options);
  }

  /** Every account's snapshot metadata since `since` (the dashboard's estate chart). */
  listSnapshotSummariesSince(since: string): Promise<(SnapshotSummary & { readonly tenantId: string; readonly accountKey: string })[]> {
    return this.snapshots.listSnapshotSummariesSince(since);
  }

  readSnapshots(partition: string, options: { limit?: number } = {}): Promise<Snapshot[]> {
    return this.snapshots.readSnapshots(partition, options);
  }

  getSnapshot(partition: string, id: string): Promise<Snapshot | undefined> {
    return this.snapshots.getSnapshot(partition, id);
  }

  deleteSnapshotsBefore(partition: string, cutoffId: string): Promise<number> {
    return this.snapshots.deleteSnapshotsBefore(partition, cutoffId);
  }

  listAlerts(partition: string, options: { delivery?: DeliveryState } = {}): Promise<StoredAlert[]> {
    return this.alerts.listAlerts(partition, options);
  }

  getAlert(partition: string, id: string): Promise<StoredAlert | undefined> {
    return this.alerts.getAlert(partition, id);
  }

  updateAlertDelivery(partition: string, id: string, delivery: AlertDelivery, etag?: string): Promise<{ etag: string }> {
    return this.alerts.updateAlertDelivery(partition, id, delivery, etag);
  }
}
