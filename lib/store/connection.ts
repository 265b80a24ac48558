/**
 * Table clients for a storage target: an account connection string (Azurite, or a key), or an
 * account endpoint reached with DefaultAzureCredential (the Functions app's managed identity).
 * Tables are created on first use; the creation is remembered per client so it costs one
 * request per process, and is retried if it failed.
 */
import { TableClient, type TableEntityResult, type TableServiceClientOptions } from "@azure/data-tables";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import type { StorageTarget } from "../config/settings.js";
import { isNotFound, StoreError } from "./errors.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The http endpoints a connection string names; Azurite speaks http, anything else must not. */
function insecureEndpointsAllowed(connectionString: string): boolean {
  if (/usedevelopmentstorage=true/i.test(connectionString)) return true;
  const parts = new Map(
    connectionString
      .split(";")
      .map((p) => {
        const i = p.indexOf("=");
        return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()] as const;
      })
      .filter(([k]) => k.length > 0),
  );
  const endpoint = parts.get("tableendpoint");
  const protocol = parts.get("defaultendpointsprotocol")?.toLowerCase();
  if (endpoint?.startsWith("http://")) {
    const host = new URL(endpoint).hostname;
    if (!LOOPBACK.has(host)) throw new Error(`refusing plain http to ${host}: only a loopback emulator may use http`);
    return true;
  }
  if (!endpoint && protocol === "http") throw new Error("DefaultEndpointsProtocol=http is allowed only with a loopback TableEndpoint (Azurite)");
  return false;
}

export interface TableClientFactoryOptions {
  /** Passed to every client, e.g. retry options (tests use few retries to fail fast). */
  readonly clientOptions?: TableServiceClientOptions;
  /** Overrides DefaultAzureCredential for identity-based targets. */
  readonly credential?: TokenCredential;
}

export type TableClientFactory = (tableName: string) => TableClient;

export function tableClientFactory(target: StorageTarget, options: TableClientFactoryOptions = {}): TableClientFactory {
  if (target.kind === "connection-string") {
    const allowInsecureConnection = insecureEndpointsAllowed(target.connectionString);
    return (tableName) => TableClient.fromConnectionString(target.connectionString, tableName, { ...options.clientOptions, allowInsecureConnection });
  }
  const url = new URL(target.tableServiceUri);
  const allowInsecureConnection = url.protocol === "http:" && LOOPBACK.has(url.hostname);
  const credential = options.credential ?? new DefaultAzureCredential(target.clientId ? { managedIdentityClientId: target.clientId } : {});
  return (tableName) => new TableClient(target.tableServiceUri, tableName, credential, { ...options.clientOptions, allowInsecureConnection });
}

/** A table client that creates its table before the first operation. */
export class LazyTable {
  private created: Promise<void> | undefined;
  constructor(readonly client: TableClient) {}

  get name(): string {
    return this.client.tableName;
  }

  /** Resolves once the table exists (createTable treats "already exists" as success); StoreError if it cannot. */
  async ready(): Promise<TableClient> {
    this.created ??= this.client.createTable().catch((error: unknown) => {
      this.created = undefined;
      throw error;
    });
    try {
      await this.created;
    } catch (error) {
      throw new StoreError(`could not open table ${this.name}`, error);
    }
    return this.client;
  }

  /** One row, or undefined when there is none; StoreError (saying `what`) when storage fails. */
  async getRow(partitionKey: string, rowKey: string, what: string): Promise<TableEntityResult<Record<string, unknown>> | undefined> {
    const client = await this.ready();
    try {
      return await client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new StoreError(`could not read ${what}`, error);
    }
  }
}
