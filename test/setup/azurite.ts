/**
 * Vitest global-setup part for Azurite: one instance for the run (cli/demo/azurite.ts starts it),
 * its connection exported to the workers through process.env. Test files that need their own
 * instance call startAzurite directly.
 */
import { startAzurite } from "../../cli/demo/azurite.js";

export { startAzurite, type RunningAzurite } from "../../cli/demo/azurite.js";

/** Vitest global setup: one Azurite for the run; test files isolate by table name or tenant id. */
export async function setupAzurite(): Promise<() => Promise<void>> {
  const azurite = await startAzurite();
  process.env.AzureWebJobsStorage = azurite.connectionString;
  process.env.AZURITE_TABLE_URL = azurite.tableUrl;
  process.env.AZURITE_QUEUE_URL = azurite.queueUrl;
  process.env.AZURITE_BLOB_URL = azurite.blobUrl;
  return async () => {
    await azurite.stop();
  };
}
