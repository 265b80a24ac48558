/**
 * An account's outbox rows as its history, by its Monitor partition: listed, read, and a delivery recorded directly (no claim).
 * The senders' bookkeeping, with claims, leases and dead letters, is outbox.ts.
 */
import { odata } from "@azure/data-tables";
import type { LazyTable } from "../connection.js";
import { ConcurrencyError, statusOf, StoreError } from "../errors.js";
import { decodeStoredAlert, encodeDeliveryColumns, type AlertDelivery, type DeliveryState, type StoredAlert } from "./codecs/alert.js";
import { ALERT_PREFIX, alertRowKey, partitionLabel, prefixEnd } from "./keys.js";

export class AlertsRepository {
  constructor(private readonly table: LazyTable) {}

  async listAlerts(partition: string, options: { delivery?: DeliveryState } = {}): Promise<StoredAlert[]> {
    const client = await this.table.ready();
    const filter = options.delivery
      ? odata`PartitionKey eq ${partition} and RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)} and Delivery eq ${options.delivery}`
      : odata`PartitionKey eq ${partition} and RowKey gt ${ALERT_PREFIX} and RowKey lt ${prefixEnd(ALERT_PREFIX)}`;
    const out: StoredAlert[] = [];
    for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(decodeStoredAlert(row, partition));
    return out.sort((a, b) => a.alert.createdAt.localeCompare(b.alert.createdAt) || a.alert.id.localeCompare(b.alert.id));
  }

  async getAlert(partition: string, id: string): Promise<StoredAlert | undefined> {
    const row = await this.table.getRow(partition, alertRowKey(id), `alert ${id} of ${partitionLabel(partition)}`);
    return row && decodeStoredAlert(row, partition);
  }

  /**
   * Records a delivery attempt (Merge of the delivery columns only). With `etag`, fails with
   * ConcurrencyError if another sender updated the row first.
   */
  async updateAlertDelivery(partition: string, id: string, delivery: AlertDelivery, etag?: string): Promise<{ etag: string }> {
    const client = await this.table.ready();
    try {
      const entity = { partitionKey: partition, rowKey: alertRowKey(id), ...encodeDeliveryColumns(delivery) };
      const r = await client.updateEntity(entity, "Merge", etag ? { etag } : {});
      return { etag: r.etag ?? "" };
    } catch (error) {
      if (statusOf(error) === 412) throw new ConcurrencyError(partition, error);
      throw new StoreError(`could not update alert ${id} of ${partitionLabel(partition)}`, error);
    }
  }
}
