/**
 * The Tenants table: PartitionKey `tenant`, RowKey = tenant id (lower-case GUID). Small rows with
 * plain columns (readable in Storage Explorer); every row read back is validated.
 */
import { odata, type TableEntityResult } from "@azure/data-tables";
import { registeredTenantSchema, type RegisteredTenant, type RegisteredTenantInput } from "../model/tenant.js";
import { NewerSchemaError } from "../model/versioned.js";
import { storedTenant } from "../model/stored.js";
import type { LazyTable } from "./connection.js";
import { isNotFound, StoreError, type InvalidRowHandler } from "./errors.js";

import { errorMessage } from "../errors/text.js";

const TENANT_PARTITION = "tenant";

interface TenantRow {
  DisplayName: string;
  Account: string;
  AccountObjectId: string;
  /** JSON array: Table Storage has no list type. */
  Recipients: string;
  Profile: string;
  Enabled: boolean;
  /** The row's schema version (lib/model/stored.ts); rows written before it was kept have none: version 1. */
  SchemaVersion: number;
}

function toRow(t: RegisteredTenant): TenantRow & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: TENANT_PARTITION,
    rowKey: t.tenantId,
    DisplayName: t.displayName,
    Account: t.account,
    AccountObjectId: t.accountObjectId ?? "",
    Recipients: JSON.stringify(t.recipients),
    Profile: t.profile,
    Enabled: t.enabled,
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

function fromRow(row: TableEntityResult<Record<string, unknown>>): RegisteredTenant {
  let recipients: unknown = row.Recipients;
  try {
    recipients = typeof row.Recipients === "string" ? (JSON.parse(row.Recipients) as unknown) : row.Recipients;
  } catch {
    // left as the raw string: the schema below rejects it with a clear message
  }
  let parsed;
  try {
    parsed = storedTenant.read({
      schemaVersion: row.SchemaVersion,
      tenantId: row.rowKey,
      displayName: row.DisplayName,
      account: row.Account,
      accountObjectId: row.AccountObjectId === "" || row.AccountObjectId === undefined ? null : row.AccountObjectId,
      recipients,
      profile: row.Profile,
      enabled: row.Enabled,
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
    const tenant = registeredTenantSchema.parse(input);
    const existing = await this.table.getRow(TENANT_PARTITION, tenant.tenantId, `tenant ${tenant.tenantId}`);
    const version = existing?.SchemaVersion;
    if (typeof version === "number" && version > storedTenant.current)
      throw new NewerSchemaError(version, storedTenant.current, `Tenants row ${tenant.tenantId}`);
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
   * Remembers the account's object id, or forgets it (null) so the next run looks the account up
   * by its UPN again. A Merge of one column, so a concurrent edit of the other columns is not
   * overwritten; a tenant deleted meanwhile stays deleted.
   */
  async cacheAccountObjectId(tenantId: string, objectId: string | null): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.updateEntity({ partitionKey: TENANT_PARTITION, rowKey: tenantId.toLowerCase(), AccountObjectId: objectId?.toLowerCase() ?? "" }, "Merge");
    } catch (error) {
      if (isNotFound(error)) return;
      throw new StoreError(`could not cache the account object id of tenant ${tenantId}`, error);
    }
  }
}
