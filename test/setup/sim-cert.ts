/**
 * Makes the one certificate every test's simulator serves (for 127.0.0.1 and localhost), writes
 * it to a temp folder and points NODE_EXTRA_CA_CERTS at it. Runs in vitest's global setup, so the
 * workers it forks afterwards inherit the variables and trust the simulator from their start
 * (Node reads NODE_EXTRA_CA_CERTS only when a process starts).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSelfSignedCertificate } from "../../sim/cert.js";

export async function setupSimCertificate(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "drift-monitor-sim-cert-"));
  const { cert, key } = await makeSelfSignedCertificate();
  const certFile = join(dir, "sim-ca.pem");
  const keyFile = join(dir, "sim-key.pem");
  await writeFile(certFile, cert, { mode: 0o644 });
  await writeFile(keyFile, key, { mode: 0o600 });
  const previous = {
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    SIM_TLS_CERT_FILE: process.env.SIM_TLS_CERT_FILE,
    SIM_TLS_KEY_FILE: process.env.SIM_TLS_KEY_FILE,
  };
  process.env.NODE_EXTRA_CA_CERTS = certFile;
  process.env.SIM_TLS_CERT_FILE = certFile;
  process.env.SIM_TLS_KEY_FILE = keyFile;
  return async () => {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await rm(dir, { recursive: true, force: true });
  };
}
