/** What the CLI tests give `drift-monitor` as its environment: one Azurite for storage, the simulator for Graph (client-secret auth). */
import type { RunningAzurite } from "../setup/azurite.js";
import type { RunningSimulator } from "../../sim/testing.js";

export function cliEnv(azurite: RunningAzurite, sim: RunningSimulator): Record<string, string> {
  return {
    AzureWebJobsStorage: azurite.connectionString,
    AZURE_CLIENT_ID: "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11",
    AZURE_CLIENT_SECRET: "test-only",
    AZURE_AUTHORITY_HOST: sim.url,
    GRAPH_ENDPOINT: sim.url,
  };
}
