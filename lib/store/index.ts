/**
 * The store: the Tenants table (tenants.ts) and the Monitor table (monitor/), each with one owner
 * and one table client. Table names can be injected so test files can isolate themselves inside
 * one shared Azurite. Callers import from here, not from the modules inside.
 */
import type { StorageTarget } from "../config/settings.js";
import { LazyTable, tableClientFactory, type TableClientFactoryOptions } from "./connection.js";
import {
  BudgetLedger,
  CheckLeases,
  DEFAULT_MONITOR_TABLE,
  MonitorRepository,
  openMonitorTable,
  OutboxDeliveryRepository,
  StorageClock,
  StandingsRepository,
  type StandingsCacheOptions,
} from "./monitor/index.js";
import { TenantsRepository } from "./tenants.js";
import { RemediationsRepository } from "./monitor/remediations.js";

export interface StoreOptions extends TableClientFactoryOptions {
  readonly tenantsTable?: string;
  readonly monitorTable?: string;
  /** How long this process reuses the estate-wide exceptions it read, and on what clock (monitor/standings.ts); default 60 s. */
  readonly estateExceptions?: StandingsCacheOptions;
}

/** Every repository of one table shares that table's client (so it is created once per process). */
export interface Store {
  readonly tenants: TenantsRepository;
  /** A tenant's state, runs, snapshots and alerts. */
  readonly monitor: MonitorRepository;
  /** The senders' delivery bookkeeping of the alerts, and their shared markers (`outbox.markers`). */
  readonly outbox: OutboxDeliveryRepository;
  /** Check leases: a check queued or running. */
  readonly leases: CheckLeases;
  /** The Graph reports budget every process of the app shares (monitor/budget.ts). */
  readonly budget: BudgetLedger;
  /** The storage service's clock, as seen from a process whose own clock is `wall` (monitor/storage-clock.ts). */
  storageClock(options?: { readonly wall?: () => number }): StorageClock;
  /** Operators' acknowledgements and exceptions, and their audit trail (monitor/standings.ts). */
  readonly standings: StandingsRepository;
  /** Fix requests and their steps' audit entries (monitor/remediations.ts). */
  readonly remediations: RemediationsRepository;
}

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

export function createStore(target: StorageTarget, options: StoreOptions = {}): Store {
  const tenantsTable = options.tenantsTable ?? "Tenants";
  const monitorTableName = options.monitorTable ?? DEFAULT_MONITOR_TABLE;
  for (const name of [tenantsTable, monitorTableName]) {
    if (!TABLE_NAME.test(name)) throw new Error(`table name "${name}" must be 3-63 letters and digits, starting with a letter`);
  }
  const client = tableClientFactory(target, options);
  const monitorTable = openMonitorTable(client, monitorTableName);
  return {
    tenants: new TenantsRepository(new LazyTable(client(tenantsTable))),
    monitor: new MonitorRepository(monitorTable),
    outbox: new OutboxDeliveryRepository(monitorTable),
    leases: new CheckLeases(monitorTable),
    budget: new BudgetLedger(monitorTable),
    storageClock: (clockOptions) => new StorageClock(monitorTable, clockOptions),
    standings: new StandingsRepository(monitorTable, options.estateExceptions),
    remediations: new RemediationsRepository(monitorTable),
  };
}

/** The outbox alone (the CLI's `alerts`, tests): a store's, so it is the same table and codecs. */
export function createOutboxDelivery(target: StorageTarget, options: StoreOptions = {}): OutboxDeliveryRepository {
  return createStore(target, options).outbox;
}

export { TenantsRepository, UnreadableTenantError } from "./tenants.js";
export { FixConflictError, RemediationsRepository, type EtaggedFix } from "./monitor/remediations.js";
export * from "./monitor/index.js";
export { ConcurrencyError, StoreError, type InvalidRow, type InvalidRowHandler } from "./errors.js";
export { LazyTable, tableClientFactory } from "./connection.js";
