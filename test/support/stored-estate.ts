/**
 * A stored estate as JSON: every row of every table of a storage account, with its PartitionKey,
 * RowKey and each property's Edm type, so the rows a previous version wrote can be put back into a
 * fresh Azurite exactly (an upgrade test reads them with the new code). Read without type
 * conversion, so an Int64 stays a string of digits and a DateTime keeps its precision; a String
 * property is written plainly, any other type as `{ "type": …, "value": … }`. The service's
 * `Timestamp` and ETag are not kept: storage sets them on every write.
 */
import { TableClient, TableServiceClient, type EdmTypes } from "@azure/data-tables";
import { z } from "zod";

const EDM_TYPES = ["Binary", "Boolean", "DateTime", "Double", "Guid", "Int32", "Int64", "String"] as const satisfies readonly EdmTypes[];

const typedValue = z.strictObject({ type: z.enum(EDM_TYPES), value: z.string() });
const row = z
  .record(z.string(), z.union([z.string(), typedValue]))
  .refine((r) => typeof r.PartitionKey === "string" && typeof r.RowKey === "string", "every row has a PartitionKey and a RowKey, as strings");

export const storedEstateSchema = z.strictObject({
  /** What wrote it and how to write it again. */
  about: z.string(),
  /** The clock of the last step: read the estate "now" as of this instant. */
  now: z.iso.datetime(),
  tables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/), z.array(row)),
  /** What the version that wrote it showed for the estate (`status --json`) and each tenant (`status --tenant … --json`). */
  expected: z.strictObject({ estate: z.unknown(), tenants: z.record(z.string(), z.unknown()) }),
});
export type StoredEstate = z.infer<typeof storedEstateSchema>;
type StoredRow = StoredEstate["tables"][string][number];

const clientOptions = { allowInsecureConnection: true };

function fromTyped(raw: Record<string, unknown>): StoredRow {
  const out: StoredRow = {};
  for (const [name, v] of Object.entries(raw)) {
    if (name === "etag" || name === "timestamp" || name === "Timestamp" || name === "odata.etag") continue;
    if (name === "partitionKey") out.PartitionKey = String(v);
    else if (name === "rowKey") out.RowKey = String(v);
    else {
      const typed = typedValue.parse(v);
      out[name] = typed.type === "String" ? typed.value : typed;
    }
  }
  return out;
}

/** Every row of every table, tables and rows in a stable order (by name; by PartitionKey, then RowKey). */
export async function dumpTables(connectionString: string): Promise<StoredEstate["tables"]> {
  const service = TableServiceClient.fromConnectionString(connectionString, clientOptions);
  const names: string[] = [];
  for await (const t of service.listTables()) if (t.name) names.push(t.name);
  const tables: StoredEstate["tables"] = {};
  for (const name of names.sort()) {
    const client = TableClient.fromConnectionString(connectionString, name, clientOptions);
    const rows: StoredRow[] = [];
    for await (const e of client.listEntities({ disableTypeConversion: true })) rows.push(fromTyped(e as Record<string, unknown>));
    const key = (r: StoredRow) => `${String(r.PartitionKey)}\u0000${String(r.RowKey)}`;
    tables[name] = rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  return tables;
}

/** The SDK's typed value: a boolean or number where JSON has one (Int64 stays a string of digits). */
function toEdm(v: z.infer<typeof typedValue>): unknown {
  if (v.type === "Boolean") return { type: v.type, value: v.value === "true" };
  if (v.type === "Int32" || v.type === "Double") return { type: v.type, value: Number(v.value) };
  return v;
}

/**
 * Writes the rows into the account's tables (created when missing), each property with its stored type.
 * `names` renames tables (`{ Tenants: "T1a2b", Monitor: "M1a2b" }`) so a test can isolate itself in a shared Azurite.
 */
export async function loadTables(connectionString: string, tables: StoredEstate["tables"], names: Readonly<Record<string, string>> = {}): Promise<number> {
  let written = 0;
  for (const [name, rows] of Object.entries(tables)) {
    const client = TableClient.fromConnectionString(connectionString, names[name] ?? name, clientOptions);
    await client.createTable();
    for (const r of rows) {
      const entity: Record<string, unknown> = { partitionKey: String(r.PartitionKey), rowKey: String(r.RowKey) };
      for (const [prop, v] of Object.entries(r)) {
        if (prop === "PartitionKey" || prop === "RowKey") continue;
        entity[prop] = typeof v === "string" ? v : toEdm(v);
      }
      await client.upsertEntity(entity as { partitionKey: string; rowKey: string }, "Replace");
      written += 1;
    }
  }
  return written;
}
