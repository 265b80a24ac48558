/**
 * Vitest global setup: runs once in the main process before the test workers start, so what
 * it puts in process.env (the simulator's CA for NODE_EXTRA_CA_CERTS, Azurite's ports) is
 * inherited by every worker. Each part returns its own teardown.
 */
import { setupSimCertificate } from "./sim-cert.js";
import { setupAzurite } from "./azurite.js";

export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: Array<() => Promise<void>> = [];
  teardowns.push(await setupSimCertificate());
  teardowns.push(await setupAzurite());
  return async () => {
    for (const t of teardowns.reverse()) await t();
  };
}
