/**
 * For tests: `startTestSimulator(options)` starts a simulator (its own state, a free port) that
 * serves the certificate test/setup/sim-cert.ts made in vitest's global setup, which every test
 * worker already trusts through NODE_EXTRA_CA_CERTS. Stop it in afterAll:
 *
 *   const sim = await startTestSimulator();
 *   afterAll(() => sim.stop());
 *   // GRAPH_ENDPOINT = sim.url; token: sim.mintToken(tenantId); faults: sim.state.addFault(…)
 */
import { readFileSync } from "node:fs";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "./server.js";

type TestSimulatorOptions = Omit<SimulatorOptions, "tls">;

export async function startTestSimulator(options: TestSimulatorOptions = {}): Promise<RunningSimulator> {
  const certFile = process.env.SIM_TLS_CERT_FILE;
  const keyFile = process.env.SIM_TLS_KEY_FILE;
  if (!certFile || !keyFile) {
    throw new Error(
      "SIM_TLS_CERT_FILE / SIM_TLS_KEY_FILE are not set: run the tests through vitest (its global setup, test/setup/global.ts, makes the certificate).",
    );
  }
  return startSimulator({ ...options, tls: { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") } });
}

export { SAMPLE_TENANTS, sampleTenant } from "./estate/index.js";
export type { RunningSimulator } from "./server.js";
