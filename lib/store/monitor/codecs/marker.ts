/**
 * The senders' shared markers, in partitions that are not tenant ids:
 * - `~delivery` / `throttle-{channel}`: Until (ISO) and Reason: until when a channel asked everyone to wait;
 * - `~digest` / `{YYYY-MM-DD}`: Sent_{channel} (when that day's digest went out through it) and
 *   Claim_{channel} (until when a run holds the lease on sending it).
 * Plain columns only: small, and legible in Storage Explorer.
 */
import { DELIVERY_PARTITION, DIGEST_PARTITION } from "../keys.js";
import { MAX_ERROR_CHARS, textColumn } from "./alert.js";

/** Channel names become row keys and column names, so they are kept to a safe alphabet. */
export function checkChannel(channel: string): void {
  if (!/^[a-z0-9-]+$/.test(channel)) throw new Error(`channel name "${channel}" must be lower-case letters, digits and dashes`);
}

export const throttleKey = (channel: string): string => `throttle-${channel}`;

/** Table property names cannot hold a dash. */
export const digestColumn = (prefix: "Sent" | "Claim" | "Held", channel: string): string => `${prefix}_${channel.replace(/-/g, "_")}`;

export function encodeThrottleRow(channel: string, until: Date, reason: string) {
  return { partitionKey: DELIVERY_PARTITION, rowKey: throttleKey(channel), Until: until.toISOString(), Reason: reason.slice(0, MAX_ERROR_CHARS) };
}

/** The throttle's end; null when there is none or it is unreadable (then nobody waits for it). */
export function decodeThrottleUntil(row: Record<string, unknown> | undefined): Date | null {
  const until = textColumn(row?.Until);
  const at = until === null ? NaN : Date.parse(until);
  return Number.isNaN(at) ? null : new Date(at);
}

/** When the day's digest was sent through each channel (channel → ISO time). */
export function decodeDigestSent(row: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row ?? {})) {
    const m = /^Sent_([a-z0-9_]+)$/.exec(k);
    if (m?.[1] && typeof v === "string" && v !== "") out[m[1].replace(/_/g, "-")] = v;
  }
  return out;
}

/** Columns for a Merge into the day's ledger row (a column set to "" is cleared). */
export function encodeDigestColumns(day: string, columns: Record<string, string>) {
  return { partitionKey: DIGEST_PARTITION, rowKey: day, ...columns };
}
