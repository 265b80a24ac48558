/**
 * Queue clients for a storage target: the account connection string (Azurite, or a key), or the
 * account's queue endpoint reached with the managed identity — the same AzureWebJobsStorage the
 * Functions host's own triggers use, so the app sends to the queues its triggers read.
 *
 * Plain http is accepted only for a loopback emulator: nothing may leave the machine unencrypted.
 */
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { QueueServiceClient, type StoragePipelineOptions } from "@azure/storage-queue";
import type { StorageTarget } from "../../lib/config/settings.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function refuseRemoteHttp(url: string, what: string): void {
  const u = new URL(url);
  if (u.protocol === "http:" && !LOOPBACK.has(u.hostname)) {
    throw new Error(`refusing plain http to ${u.hostname} for ${what}: only a loopback emulator may use http`);
  }
}

function queueEndpointOf(connectionString: string): string | undefined {
  for (const part of connectionString.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim().toLowerCase() === "queueendpoint") return part.slice(i + 1).trim();
  }
  return undefined;
}

export interface QueueClientOptions {
  readonly pipeline?: StoragePipelineOptions;
  /** Overrides DefaultAzureCredential for identity-based targets. */
  readonly credential?: TokenCredential;
}

export function queueServiceClient(target: StorageTarget, options: QueueClientOptions = {}): QueueServiceClient {
  if (target.kind === "connection-string") {
    const endpoint = queueEndpointOf(target.connectionString);
    if (endpoint) refuseRemoteHttp(endpoint, "queues");
    return QueueServiceClient.fromConnectionString(target.connectionString, options.pipeline);
  }
  if (!target.queueServiceUri) {
    throw new Error("no queue endpoint: set AzureWebJobsStorage__accountName (or AzureWebJobsStorage__queueServiceUri)");
  }
  refuseRemoteHttp(target.queueServiceUri, "queues");
  const credential = options.credential ?? new DefaultAzureCredential(target.clientId ? { managedIdentityClientId: target.clientId } : {});
  return new QueueServiceClient(target.queueServiceUri, credential, options.pipeline);
}
