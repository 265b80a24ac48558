/**
 * The store: Tenants and Monitor tables on Azure Table Storage (Azurite locally). Table names can
 * be injected so test files can isolate themselves inside one shared Azurite.
 */
import type { StorageTarget } from "../config/settings.js";
import { LazyTable, tableClientFactory, type TableClientFactoryOptions } from "./connection.js";
import { MonitorRepository } from "./monitor.js";
import { TenantsRepository } from "./tenants.js";

export interface StoreOptions extends TableClientFactoryOptions {
  readonly tenantsTable?: string;
  readonly monitorTable?: string;
}

export interface Store {
  readonly tenants: TenantsRepository;
  readonly monitor: MonitorRepository;
}

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

export function createStore(target: StorageTarget, options: StoreOptions = {}): Store {
  const tenantsTable = options.tenantsTable ?? "Tenants";
  const monitorTable = options.monitorTable ?? "Monitor";
  for (const name of [tenantsTable, monitorTable]) {
    if (!TABLE_NAME.test(name)) throw new Error(`table name "${name}" must be 3-63 letters and digits, starting with a letter`);
  }
  const client = tableClientFactory(target, options);
  return {
    tenants: new TenantsRepository(new LazyTable(client(tenantsTable))),
    monitor: new MonitorRepository(new LazyTable(client(monitorTable))),
  };
}

export { TenantsRepository } from "./tenants.js";
export {
  MonitorRepository,
  DELIVERY_STATES,
  type AlertDelivery,
  type DeliveryState,
  type RunWrite,
  type SnapshotSummary,
  type StoredAlert,
  type StoredState,
} from "./monitor.js";
export { ConcurrencyError, StoreError } from "./errors.js";
export { ValueTooLargeError, encodeValue, decodeValue } from "./codec.js";
export { invertedTicks, timeOfInvertedTicks } from "./keys.js";
