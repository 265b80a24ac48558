/**
 * For tests: a PSA simulator on a free port serving the certificate vitest's global setup made
 * (test/setup/sim-cert.ts), which every test worker trusts through NODE_EXTRA_CA_CERTS.
 *
 *   const sim = await startTestPsaSimulator("halo");
 *   afterAll(() => sim.stop());
 */
import { readFileSync } from "node:fs";
import { startPsaSimulator, type PsaSimulatorOptions, type RunningPsaSimulator } from "./server.js";
import type { PsaVendor } from "./state.js";

export async function startTestPsaSimulator(vendor: PsaVendor, options: Omit<PsaSimulatorOptions, "vendor" | "tls"> = {}): Promise<RunningPsaSimulator> {
  const certFile = process.env.SIM_TLS_CERT_FILE;
  const keyFile = process.env.SIM_TLS_KEY_FILE;
  if (!certFile || !keyFile) throw new Error("SIM_TLS_CERT_FILE / SIM_TLS_KEY_FILE are not set: run the tests through vitest (test/setup/global.ts).");
  return startPsaSimulator({ ...options, vendor, tls: { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") } });
}

export type { RunningPsaSimulator } from "./server.js";
