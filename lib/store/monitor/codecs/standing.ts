/**
 * Operators' rows (lib/model/standing.ts): an acknowledgement (`ack|{findingKey}`), an exception
 * (`exception|{id}`, in a tenant's partition or the estate's) and an audit entry
 * (`audit|{inverted ticks}|{action}|{subject}`, newest first). Each is its JSON in a `Body` column
 * (they are small) with a few plain columns so the row is legible in Storage Explorer.
 */
import type { TableEntity } from "@azure/data-tables";
import type { Acknowledgement, ApprovedException, AuditEntry } from "../../../model/standing.js";
import { storedAck, storedAudit, storedException } from "../../../model/stored.js";
import { NewerSchemaError, type Versioned } from "../../../model/versioned.js";
import { invertedTicks } from "../keys.js";
import { monitorPartition } from "../../../model/account.js";

export const ACK_PREFIX = "ack|";
export const EXCEPTION_PREFIX = "exception|";
export const AUDIT_PREFIX = "audit|";

/** Table keys may not hold / \ # ? or control characters: the variable part is URI-encoded. */
const keyPart = (s: string): string => encodeURIComponent(s);

export const ackRowKey = (findingKey: string): string => `${ACK_PREFIX}${keyPart(findingKey)}`;
export const exceptionRowKey = (id: string): string => `${EXCEPTION_PREFIX}${keyPart(id)}`;
const auditRowKey = (e: AuditEntry): string => `${AUDIT_PREFIX}${invertedTicks(new Date(e.at))}|${e.action}|${keyPart(e.subject)}`;

type Entity = TableEntity<Record<string, string | number>>;

/** An acknowledgement's Monitor partition: its account's. */
export const ackPartition = (a: Pick<Acknowledgement, "tenantId" | "accountKey">): string => monitorPartition(a.tenantId, a.accountKey ?? "");

export const encodeAck = (a: Acknowledgement): Entity => ({
  partitionKey: ackPartition(a),
  rowKey: ackRowKey(a.findingKey),
  SchemaVersion: a.schemaVersion,
  Until: a.until,
  By: a.by,
  Body: JSON.stringify(a),
});

export const encodeException = (e: ApprovedException): Entity => ({
  partitionKey: e.scope,
  rowKey: exceptionRowKey(e.id),
  SchemaVersion: e.schemaVersion,
  ExpiresAt: e.expiresAt,
  Owner: e.owner,
  Body: JSON.stringify(e),
});

/** `partition`: where the entry is written, the scope's (default) or the account's partition of the acknowledgement it tells of. */
export const encodeAudit = (e: AuditEntry, partition: string = e.scope): Entity => ({
  partitionKey: partition,
  rowKey: auditRowKey(e),
  SchemaVersion: e.schemaVersion,
  At: e.at,
  By: e.by,
  Action: e.action,
  Body: JSON.stringify(e),
});

function decode<T>(row: Record<string, unknown>, reader: Versioned<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof row.Body === "string" ? row.Body : "");
  } catch {
    throw new Error(`${what}: its Body is not JSON`);
  }
  let parsed;
  try {
    parsed = reader.read(value);
  } catch (error) {
    if (error instanceof NewerSchemaError) throw new NewerSchemaError(error.found, error.known, what);
    throw error;
  }
  if (!parsed.success) throw new Error(`${what} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export const decodeAck = (row: Record<string, unknown>): Acknowledgement => decode(row, storedAck, `acknowledgement ${String(row.rowKey)}`);
export const decodeException = (row: Record<string, unknown>): ApprovedException => decode(row, storedException, `exception ${String(row.rowKey)}`);
export const decodeAudit = (row: Record<string, unknown>): AuditEntry => decode(row, storedAudit, `audit entry ${String(row.rowKey)}`);
