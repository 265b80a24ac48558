/**
 * The Tenants table: PartitionKey `tenant`, RowKey = tenant id (lower-case GUID). Small rows with
 * plain columns (readable in Storage Explorer); every row read back is validated. Version 1 rows
 * had one account in Account / AccountObjectId / Profile; version 2 keeps the list in Accounts
 * (JSON) and the version-1 columns are no longer written (lib/model/stored.ts migrates them).
 */
import { odata, type TableEntityResult } from "@azure/data-tables";
import { registeredTenantSchema, type RegisteredTenant, type RegisteredTenantInput } from "../model/tenant.js";
import { assignAccountKeys } from "../model/account.js";
import { NewerSchemaError } from "../model/versioned.js";
import { storedTenant } from "../model/stored.js";
import type { LazyTable } from "./connection.js";
import { isNotFound, isPreconditionFailed, StoreError, type InvalidRowHandler } from "./errors.js";

import { errorMessage } from "../errors/text.js";

const TENANT_PARTITION = "tenant";

interface TenantRow {
  DisplayName: string;
  /** JSON array of the monitored accounts (lib/model/account.ts): Table Storage has no list type. */
  Accounts: string;
  /** JSON array: Table Storage has no list type. */
  Recipients: string;
  Enabled: boolean;
  /** "required", "not-required", or "" for the estate's default (lib/model/tenant.ts `fixApproval`). */
  FixApproval: string;
  /** The row's schema version (lib/model/stored.ts); rows written before it was kept have none: version 1. */
  SchemaVersion: number;
}

function toRow(t: RegisteredTenant): TenantRow & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: TENANT_PARTITION,
    rowKey: t.tenantId,
    DisplayName: t.displayName,
    Accounts: JSON.stringify(t.accounts),
    Recipients: JSON.stringify(t.recipients),
    Enabled: t.enabled,
    FixApproval: t.fixApproval ?? "",
    SchemaVersion: storedTenant.current,
  };
}

/** A Tenants row that does not parse: that one tenant is unreadable, not the store. (A newer row's is NewerSchemaError.) */
export class UnreadableTenantError extends Error {
  constructor(
    readonly tenantId: string,
    readonly detail: string,
  ) {
    super(`Tenants row ${tenantId} is invalid: ${detail}`);
    this.name = "UnreadableTenantError";
  }
}

/** A JSON column as its value; the raw string when it does not parse (the schema rejects it with a clear message). */
function jsonColumn(value: unknown): unknown {
  try {
    return typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  } catch {
    return value;
  }
}

function fromRow(row: TableEntityResult<Record<string, unknown>>): RegisteredTenant {
  let parsed;
  try {
    parsed = storedTenant.read({
      schemaVersion: row.SchemaVersion,
      tenantId: row.rowKey,
      displayName: row.DisplayName,
      recipients: jsonColumn(row.Recipients),
      enabled: row.Enabled,
      ...(row.FixApproval === undefined || row.FixApproval === "" ? {} : { fixApproval: row.FixApproval }),
      ...(row.Accounts === undefined
        ? {
            account: row.Account,
            accountObjectId: row.AccountObjectId === "" || row.AccountObjectId === undefined ? null : row.AccountObjectId,
            profile: row.Profile,
          }
        : { accounts: jsonColumn(row.Accounts) }),
    });
  } catch (error) {
    if (error instanceof NewerSchemaError) throw new NewerSchemaError(error.found, error.known, `Tenants row ${String(row.rowKey)}`);
    throw error;
  }
  if (!parsed.success) {
    throw new UnreadableTenantError(
      String(row.rowKey),
      parsed.error.issues
        .slice(0, 5)
        .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
        .join("; "),
    );
  }
  const { schemaVersion: _version, ...tenant } = parsed.data;
  return tenant;
}

export class TenantsRepository {
  constructor(private readonly table: LazyTable) {}

  /** One tenant; UnreadableTenantError when its row exists but does not parse. */
  async get(tenantId: string): Promise<RegisteredTenant | undefined> {
    const row = await this.table.getRow(TENANT_PARTITION, tenantId.toLowerCase(), `tenant ${tenantId}`);
    return row && fromRow(row);
  }

  /**
   * Every registered tenant. A row that does not parse is left out and reported to `onInvalid`:
   * one bad row must not stop every other tenant from being scheduled or shown.
   */
  async list(options: { enabledOnly?: boolean; onInvalid?: InvalidRowHandler } = {}): Promise<RegisteredTenant[]> {
    const client = await this.table.ready();
    const filter = options.enabledOnly ? odata`PartitionKey eq ${TENANT_PARTITION} and Enabled eq true` : odata`PartitionKey eq ${TENANT_PARTITION}`;
    const out: RegisteredTenant[] = [];
    for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      try {
        out.push(fromRow(row));
      } catch (error) {
        const newer = error instanceof NewerSchemaError ? { newer: true as const } : {};
        options.onInvalid?.({ tenantId: String(row.rowKey), rowKey: String(row.rowKey), error: errorMessage(error), ...newer });
      }
    }
    return out;
  }

  /**
   * Creates or replaces a tenant; returns it as stored (validated, defaults filled). An unreadable
   * row is replaced; a row a newer version wrote is not (NewerSchemaError): that version reads it.
   */
  async put(input: RegisteredTenantInput): Promise<RegisteredTenant> {
    const parsed = registeredTenantSchema.parse(input);
    const existing = await this.table.getRow(TENANT_PARTITION, parsed.tenantId, `tenant ${parsed.tenantId}`);
    const version = existing?.SchemaVersion;
    if (typeof version === "number" && version > storedTenant.current)
      throw new NewerSchemaError(version, storedTenant.current, `Tenants row ${parsed.tenantId}`);
    // The stored accounts keep their keys (and so their history); an unreadable row is replaced as new.
    let stored: RegisteredTenant | undefined;
    try {
      stored = existing && fromRow(existing);
    } catch (error) {
      if (!(error instanceof UnreadableTenantError)) throw error;
    }
    const tenant = stored ? { ...parsed, accounts: assignAccountKeys(parsed.accounts, stored.accounts) } : parsed;
    const client = await this.table.ready();
    await client.upsertEntity(toRow(tenant), "Replace");
    return tenant;
  }

  async delete(tenantId: string): Promise<boolean> {
    const client = await this.table.ready();
    try {
      await client.deleteEntity(TENANT_PARTITION, tenantId.toLowerCase());
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /**
   * Remembers an account's object id, or forgets it (null) so the next run looks the account up by
   * its UPN again. A Merge of the Accounts column on the row's ETag, retried on a concurrent edit,
   * so an edit of the tenant meanwhile is not overwritten; a tenant or account removed meanwhile
   * stays removed.
   */
  async cacheAccountObjectId(tenantId: string, accountKey: string, objectId: string | null): Promise<void> {
    const id = tenantId.toLowerCase();
    const client = await this.table.ready();
    for (let attempt = 0; ; attempt++) {
      const row = await this.table.getRow(TENANT_PARTITION, id, `tenant ${id}`);
      if (!row) return;
      const tenant = fromRow(row);
      const accounts = tenant.accounts.map((a) => (a.key === accountKey ? { ...a, objectId: objectId?.toLowerCase() ?? null } : a));
      if (!tenant.accounts.some((a) => a.key === accountKey)) return;
      try {
        const columns = { partitionKey: TENANT_PARTITION, rowKey: id, Accounts: JSON.stringify(accounts), SchemaVersion: storedTenant.current };
        await client.updateEntity(columns, "Merge", { etag: String(row.etag) });
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (isPreconditionFailed(error) && attempt < 4) continue;
        throw new StoreError(`could not cache the account object id of tenant ${tenantId}`, error);
      }
    }
  }
}
