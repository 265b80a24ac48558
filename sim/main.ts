/**
 * `npm run sim [-- --port 8443 --latency-ms 50]`: serves the sample estate until Ctrl-C.
 * The certificate is kept in the temp folder and reused across runs, so an exported
 * NODE_EXTRA_CA_CERTS stays valid when the sim restarts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startSimulator } from "./server.js";
import { makeSelfSignedCertificate, type SimTls } from "./cert.js";
import { mintToken } from "./tokens.js";
import { SAMPLE_TENANTS } from "./estate/index.js";
import { GRAPH_DOCUMENTED_LIMITS } from "./rate-limit.js";

const USAGE =
  "usage: npm run sim -- [--port <n>] [--latency-ms <n>] [--cert-dir <dir>] [--graph-throttling]\n" +
  "  --graph-throttling  emulate Graph's budgets: CA policies 1 request/s per tenant, reports 5 per 10 s per tenant and 122 per 10 s per app, resource units";

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${value}"\n${USAGE}`);
    process.exit(64);
  }
  return n;
}

/** Reuses the certificate from an earlier run while it is valid for another day. */
async function certificate(dir: string): Promise<{ tls: SimTls; certFile: string }> {
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, "sim-ca.pem");
  const keyFile = join(dir, "sim-key.pem");
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, "utf8");
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    if (validTo > Date.now() + 24 * 60 * 60 * 1000) return { tls: { cert, key: readFileSync(keyFile, "utf8") }, certFile };
  }
  const tls = await makeSelfSignedCertificate(365);
  writeFileSync(certFile, tls.cert, { mode: 0o644 });
  writeFileSync(keyFile, tls.key, { mode: 0o600 });
  return { tls, certFile };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        "latency-ms": { type: "string" },
        "cert-dir": { type: "string" },
        "graph-throttling": { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(64);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = intOption(values.port, "port", 8443);
  const latencyMs = intOption(values["latency-ms"], "latency-ms", 0);
  const { tls, certFile } = await certificate(values["cert-dir"] ?? join(tmpdir(), "drift-monitor-sim"));
  const rateLimits = values["graph-throttling"] ? { ...GRAPH_DOCUMENTED_LIMITS } : undefined;
  const sim = await startSimulator({ port, latencyMs, tls, rateLimits });

  console.log(`Microsoft Graph simulator listening on ${sim.url}`);
  console.log(`  export NODE_EXTRA_CA_CERTS=${certFile}`);
  console.log(`  export GRAPH_ENDPOINT=${sim.url}`);
  if (rateLimits)
    console.log(
      "  Graph throttling emulated: CA policies 1 request/s per tenant, reports 5 per 10 s per tenant and 122 per 10 s for the app, resource " +
        "units per tenant and app",
    );
  console.log(`  control API: ${sim.url}/_sim/counters, /_sim/faults, /_sim/reset, /_sim/tenants (see sim/control.ts)`);
  console.log(`  app-only tokens: POST ${sim.url}/{tenantId}/oauth2/v2.0/token (authorityHost=${sim.url})\n`);
  console.log("Sample tenants (tokens valid 24 h):");
  for (const t of SAMPLE_TENANTS) {
    console.log(`\n# ${t.displayName} — ${t.scenario}`);
    console.log(`#   tenant ${t.tenantId}  account ${t.account}  expected ${t.expected}`);
    console.log(`GRAPH_ACCESS_TOKEN=${mintToken(t.tenantId, { lifetimeSeconds: 24 * 60 * 60 })}`);
  }
  console.log("\nServing until Ctrl-C.");
  const shutdown = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

await main();
