/**
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, so a demo that makes its own
 * simulator certificate has to run the real work in a child process that trusts it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSelfSignedCertificate } from "../../sim/cert.js";

const CERT_DIR_ENV = "DRIFT_DEMO_CERT_DIR";

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
    // The IPC channel is how the child notices this process is gone (see lifecycle.ts).
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "sim.pem"), [CERT_DIR_ENV]: dir },
    });
    // A signal to this process alone (kill <pid>) is passed on; the child stops what it started
    // and exits, and only then does this process return. Ctrl-C reaches both: the child's handler
    // ignores the second delivery.
    const forward = (signal: NodeJS.Signals) => {
      if (child.exitCode === null) child.kill(signal);
    };
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const s of signals) process.on(s, forward);
    try {
      return await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
      });
    } finally {
      for (const s of signals) process.off(s, forward);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
