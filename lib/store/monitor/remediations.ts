/**
 * Fix requests (lib/model/remediation.ts): `fix|{id}` rows in the monitored account's Monitor
 * partition (`monitorPartition(tenantId, accountKey)`), each its JSON as a stored value
 * (codecs/value.ts: it carries whole resources, which can pass one property's 64 KiB) and a few
 * plain columns for Storage Explorer.
 *
 * Every step is ONE transaction in that partition: the request, written on the ETag it was read
 * with (created only if absent), together with its audit entry (the audit rows of standings.ts,
 * so the tenant's audit trail shows every step: who, when, the request before and after). Two
 * people racing on one request: one wins, the other gets FixConflictError, and no audit entry
 * tells of a step that did not happen.
 */
import { odata, type TableEntity, type TransactionAction } from "@azure/data-tables";
import type { FixRequest } from "../../model/remediation.js";
import type { AuditEntry } from "../../model/standing.js";
import { storedFix } from "../../model/stored.js";
import { monitorPartition } from "../../model/account.js";
import { errorMessage } from "../../errors/text.js";
import type { LazyTable } from "../connection.js";
import { statusOf, StoreError, type InvalidRowHandler } from "../errors.js";
import { encodeAudit } from "./codecs/standing.js";
import { decodeValidated, encodeValue } from "./codecs/value.js";
import { prefixEnd } from "./keys.js";

const FIX_PREFIX = "fix|";
const fixRowKey = (id: string): string => `${FIX_PREFIX}${id}`;

/** Someone else moved the same fix request since it was read. */
export class FixConflictError extends Error {
  constructor(id: string, cause: unknown) {
    super(`fix ${id} was changed by someone else meanwhile: read it again`, { cause });
    this.name = "FixConflictError";
  }
}

export interface EtaggedFix {
  readonly fix: FixRequest;
  readonly etag: string;
}

/** The request as a value (gzip JSON in parts: it holds whole resources before and after), with plain columns for people. */
const encodeFix = (f: FixRequest): TableEntity<Record<string, string | number | Uint8Array>> => ({
  partitionKey: monitorPartition(f.tenantId, f.accountKey),
  rowKey: fixRowKey(f.id),
  SchemaVersion: f.schemaVersion,
  State: f.state,
  FindingKey: f.findingKey,
  ExpiresAt: f.expiresAt,
  ...encodeValue(f, `fix request ${f.id}`),
});

const decodeFix = (row: Record<string, unknown>): FixRequest => decodeValidated(row, storedFix, `fix request ${String(row.rowKey)}`);

export class RemediationsRepository {
  constructor(private readonly table: LazyTable) {}

  async get(tenantId: string, accountKey: string, id: string): Promise<EtaggedFix | undefined> {
    const row = await this.table.getRow(monitorPartition(tenantId, accountKey), fixRowKey(id), `fix request ${id} of tenant ${tenantId}`);
    return row ? { fix: decodeFix(row), etag: row.etag } : undefined;
  }

  /** The account's fix requests, newest first; a row that does not parse is left out and told to `onInvalid`. */
  async list(tenantId: string, accountKey: string, onInvalid?: InvalidRowHandler): Promise<EtaggedFix[]> {
    const partition = monitorPartition(tenantId, accountKey);
    const client = await this.table.ready();
    const out: EtaggedFix[] = [];
    try {
      const filter = odata`PartitionKey eq ${partition} and RowKey gt ${FIX_PREFIX} and RowKey lt ${prefixEnd(FIX_PREFIX)}`;
      for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        try {
          out.push({ fix: decodeFix(row), etag: row.etag });
        } catch (error) {
          onInvalid?.({ tenantId, rowKey: String(row.rowKey), error: errorMessage(error) });
        }
      }
    } catch (error) {
      throw new StoreError(`could not list the fix requests of ${partition}`, error);
    }
    return out.sort((a, b) => b.fix.requestedAt.localeCompare(a.fix.requestedAt));
  }

  /** Writes a step of a fix request and its audit entry; `etag` null: a new request. */
  async write(fix: FixRequest, etag: string | null, audit: AuditEntry): Promise<void> {
    const entity = encodeFix(fix);
    const actions: TransactionAction[] = [
      etag === null ? ["create", entity] : ["update", entity, "Replace", { etag }],
      // The audit entry lives in the request's partition (one transaction), so that is its scope.
      ["create", encodeAudit({ ...audit, scope: entity.partitionKey })],
    ];
    const client = await this.table.ready();
    try {
      await client.submitTransaction(actions);
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) throw new FixConflictError(fix.id, error);
      throw new StoreError(`could not write fix request ${fix.id} (${entity.partitionKey})`, error);
    }
  }
}
