/**
 * `npm run sim [-- --port 8443 --latency-ms 50]`: serves the sample estate until Ctrl-C.
 * The certificate is kept in the user's own cache directory (sim/cert-store.ts: only this user can
 * write it) and reused across runs, so an exported NODE_EXTRA_CA_CERTS stays valid when the sim restarts.
 */
import { parseArgs } from "node:util";
import { startSimulator } from "./server.js";
import { loadOrMakeCertificate } from "./cert-store.js";
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
  const { tls, certFile, notes } = await loadOrMakeCertificate(values["cert-dir"]);
  for (const note of notes) console.warn(`certificate: ${note}`);
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
