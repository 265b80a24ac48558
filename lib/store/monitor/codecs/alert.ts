/**
 * `alert|{id}` rows: the outbox. The OutboxAlert as a split JSON value, written once by the run
 * that decided it, plus delivery columns that only the senders change (Merge):
 * Delivery, Attempts, SentAt, LastError (the run writes "pending", 0) and LastAttemptAt,
 * NextAttemptAt, DeadLetteredAt, SentChannels and DeadChannels (comma-separated), Throttled, Generation. Rows
 * written before any attempt lack the latter and read as "due now", generation 0.
 *
 * Two readings, kept as they were: `decodeStoredAlert` (the monitor's view: delivery columns must
 * be valid, else the row is an error) and `decodeDeliveryRow` (the senders' view: a missing or odd
 * counter reads as 0, so a row can always be retried or dead-lettered).
 */
import type { TableEntity } from "@azure/data-tables";
import { z } from "zod";
import type { OutboxAlert } from "../../../model/state.js";
import { storedOutboxAlert } from "../../../model/stored.js";
import { hasMailed } from "../../../alerts/mailed.js";
import { alertRowKey, partitionLabel } from "../keys.js";
import { parseMonitorPartition } from "../../../model/account.js";
import type { Row } from "../table.js";
import { decodeValidated, encodeValue, type EncodedValue } from "./value.js";

export const DELIVERY_STATES = ["pending", "sent", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Errors are kept for people; bounded so a long HTML error page cannot bloat the row. */
export const MAX_ERROR_CHARS = 2000;

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

export interface DeliveryRow extends AlertDelivery {
  readonly tenantId: string;
  /** The account the alert is of ("" for the tenant's first), and the Monitor partition the row lives in. */
  readonly accountKey: string;
  readonly partition: string;
  readonly alert: OutboxAlert;
  readonly etag: string;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly deadLetteredAt: string | null;
  readonly sentChannels: readonly string[];
  /** Channels given up on (each on its own: a failing email does not stop the webhook); the row is done when every channel is sent or here. */
  readonly deadChannels: readonly string[];
  /** 429s met (they do not count as attempts). */
  readonly throttled: number;
  /** Times the row was requeued: part of the ACS operation id. */
  readonly generation: number;
  /**
   * The global recipients' share (Rollup column, rollups.ts): "owed" (the next roll-up covers it),
   * "in:{rollup id}" (a roll-up being sent covers it), "done:{rollup id}", "none" (nobody global to
   * tell); null for a row written before roll-ups, whose own email still goes to the global list too.
   */
  readonly rollup: string | null;
}

/** The row a run writes: pending, no attempt yet. */
export function encodeAlertRow(partition: string, alert: OutboxAlert): TableEntity<EncodedValue> {
  return {
    partitionKey: partition,
    rowKey: alertRowKey(alert.id),
    ...encodeValue(alert, `alert ${alert.id} of ${partitionLabel(partition)}`),
    CreatedAt: alert.createdAt,
    Kinds: [...new Set(alert.transitions.map((t) => t.kind))].join(","),
    Delivery: "pending",
    Attempts: 0,
    // The global list (ALERT_TO) and the chat webhook hear of it in the next roll-up (lib/alerts/rollup/), if it has anything to mail.
    Rollup: hasMailed(alert) ? ROLLUP_OWED : ROLLUP_NONE,
  };
}

export const ROLLUP_OWED = "owed";
/** A row with nothing to mail (lib/alerts/mailed.ts): no roll-up tells of it. */
const ROLLUP_NONE = "none";

/** The columns `updateAlertDelivery` merges ("" clears a column: Merge cannot remove one). */
export function encodeDeliveryColumns(delivery: AlertDelivery): Record<string, string | number> {
  return { Delivery: delivery.delivery, Attempts: delivery.attempts, SentAt: delivery.sentAt ?? "", LastError: delivery.lastError ?? "" };
}

const deliverySchema = z.object({
  Delivery: z.enum(DELIVERY_STATES),
  Attempts: z.number().int().nonnegative(),
  SentAt: z.string().optional(),
  LastError: z.string().optional(),
});

export function decodeStoredAlert(row: Row, partition: string): StoredAlert {
  const alert = decodeValidated(row, storedOutboxAlert, `alert ${String(row.rowKey)} of ${partitionLabel(partition)}`);
  const d = deliverySchema.safeParse(row);
  if (!d.success) throw new Error(`alert ${String(row.rowKey)} of ${partitionLabel(partition)} has invalid delivery columns`);
  return { alert, etag: row.etag, delivery: d.data.Delivery, attempts: d.data.Attempts, sentAt: d.data.SentAt || null, lastError: d.data.LastError || null };
}

/** A text column, null when absent or cleared (""). */
export const textColumn = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

const listColumn = (v: unknown): string[] => (textColumn(v) ?? "").split(",").filter((c) => c !== "");

export function decodeDeliveryRow(row: Row): DeliveryRow {
  const partition = String(row.partitionKey);
  const { tenantId, key: accountKey } = parseMonitorPartition(partition);
  const what = `alert ${String(row.rowKey)} of ${partitionLabel(partition)}`;
  const alert = decodeValidated(row, storedOutboxAlert, what, 3);
  const delivery = DELIVERY_STATES.find((d) => d === row.Delivery);
  if (!delivery) throw new Error(`${what} has an invalid Delivery column`);
  const int = (v: unknown): number => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 0);
  return {
    tenantId,
    accountKey,
    partition,
    alert,
    etag: row.etag,
    delivery,
    attempts: int(row.Attempts),
    sentAt: textColumn(row.SentAt),
    lastError: textColumn(row.LastError),
    lastAttemptAt: textColumn(row.LastAttemptAt),
    nextAttemptAt: textColumn(row.NextAttemptAt),
    deadLetteredAt: textColumn(row.DeadLetteredAt),
    sentChannels: listColumn(row.SentChannels),
    deadChannels: listColumn(row.DeadChannels),
    throttled: int(row.Throttled),
    generation: int(row.Generation),
    rollup: textColumn(row.Rollup),
  };
}
