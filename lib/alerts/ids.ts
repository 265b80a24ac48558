/**
 * Identifiers derived from the outbox row id, never random: the same row always yields the same
 * ACS operation id (the service answers a repeated send with the operation it already has), the
 * same Message-ID (a mail client folds duplicates) and the same `.eml` file name (a re-delivery
 * overwrites). That is what makes "send, crash, send again" deliver once. A requeued row (an
 * operator's decision to try again) gets a new operation id; its Message-ID and file name stay.
 */
import { createHash } from "node:crypto";

const NAMESPACE = "drift-monitor/alert/v1";

/**
 * A UUID (version-5 style: SHA-based, RFC 4122 variant) from the row id and its requeue
 * generation. ACS wants a GUID. Generation 0 (never requeued) is the row id alone; each requeue
 * names a new operation, since the old one would only answer with the verdict it already gave.
 */
export function operationIdFor(rowId: string, generation = 0): string {
  if (!Number.isInteger(generation) || generation < 0) throw new Error(`generation must be a whole number, got ${generation}`);
  const name = generation === 0 ? rowId : `${rowId}\nrequeue ${generation}`;
  const h = createHash("sha256").update(`${NAMESPACE}\n${name}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Row ids are hex from lib/runner/outbox.ts; anything else is refused before it names a file. */
export function safeRowId(rowId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(rowId)) throw new Error(`alert id "${rowId.slice(0, 40)}" is not a safe identifier`);
  return rowId;
}

/** `<alert.{id}@drift-monitor>`: RFC 5322 msg-id, stable per row. */
export function messageIdFor(rowId: string, domain = "drift-monitor.local"): string {
  return `<alert.${safeRowId(rowId)}@${domain}>`;
}

/**
 * What a webhook receiver de-duplicates by (the `Idempotency-Key` header, and in the payload):
 * `{rowId}.{generation}`. A POST that arrived but was not recorded (the sender died, storage
 * dropped the write) is posted again with the same key once the row's claim expires; a requeue
 * (an operator's decision to send again) is a new generation, so a new key.
 */
export function idempotencyKeyFor(rowId: string, generation: number): string {
  return `${safeRowId(rowId)}.${generation}`;
}
