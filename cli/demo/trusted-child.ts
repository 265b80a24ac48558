/**
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, so a demo that makes its own
 * simulator certificate has to run the real work in a child process that trusts it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSelfSignedCertificate } from "../../sim/cert.js";

export const CERT_DIR_ENV = "DRIFT_DEMO_CERT_DIR";

export interface DemoTls {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The certificate files the parent made, when this process is the trusted child. */
export function childTls(env: Record<string, string | undefined>): DemoTls | undefined {
  const dir = env[CERT_DIR_ENV];
  return dir ? { certFile: join(dir, "sim.pem"), keyFile: join(dir, "sim.key") } : undefined;
}

/** Makes a certificate, re-runs this same command in a child that trusts it, returns its exit code. */
export async function runInTrustedChild(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "drift-demo-"));
  try {
    const tls = await makeSelfSignedCertificate(1);
    writeFileSync(join(dir, "sim.pem"), tls.cert);
    writeFileSync(join(dir, "sim.key"), tls.key, { mode: 0o600 });
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "sim.pem"), [CERT_DIR_ENV]: dir },
    });
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
