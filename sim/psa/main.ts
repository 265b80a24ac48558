/**
 * `npm run sim:psa [-- --port 8444]`: serves the three PSA simulators (ConnectWise on the port,
 * Autotask on the next, Halo on the one after) until Ctrl-C, and prints the PSA_* settings that
 * point Drift Monitor at them. Same certificate as `npm run sim` (one NODE_EXTRA_CA_CERTS for both).
 */
import { parseArgs } from "node:util";
import { loadOrMakeCertificate } from "../cert-store.js";
import { startPsaSimulator } from "./server.js";
import { PSA_VENDORS } from "./state.js";

const USAGE = "usage: npm run sim:psa -- [--port <n>] [--cert-dir <dir>]  (ConnectWise on port, Autotask on port+1, Halo on port+2)";

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { port: { type: "string" }, "cert-dir": { type: "string" }, help: { type: "boolean" } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(64);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port ?? "8444");
  if (!Number.isInteger(port) || port < 1 || port > 65533) {
    console.error(`--port must be a port number, got "${values.port}"\n${USAGE}`);
    process.exit(64);
  }
  const { tls, certFile, notes } = await loadOrMakeCertificate(values["cert-dir"]);
  for (const note of notes) console.warn(`certificate: ${note}`);
  const sims = await Promise.all(PSA_VENDORS.map((vendor, i) => startPsaSimulator({ vendor, tls, port: port + i })));
  const [cw, at, halo] = sims;
  console.log(`PSA simulators (state in memory; credentials are the simulators' own)\n  export NODE_EXTRA_CA_CERTS=${certFile}\n`);
  const c = cw!.credentials;
  console.log(
    [
      `PSA_CONNECTWISE_URL=${cw!.apiBase}`,
      `PSA_CONNECTWISE_COMPANY=${c.connectwise.company}`,
      `PSA_CONNECTWISE_PUBLIC_KEY=${c.connectwise.publicKey}`,
      `PSA_CONNECTWISE_PRIVATE_KEY=${c.connectwise.privateKey}`,
      `PSA_CONNECTWISE_CLIENT_ID=${c.connectwise.clientId}`,
      "PSA_CONNECTWISE_BOARD_ID=1",
      "PSA_CONNECTWISE_OPEN_STATUS_ID=3",
      "PSA_CONNECTWISE_CLOSED_STATUS_ID=5",
      `PSA_AUTOTASK_ZONE_URL=${at!.url}/atservicesrest`,
      `PSA_AUTOTASK_USERNAME=${c.autotask.userName}`,
      `PSA_AUTOTASK_SECRET=${c.autotask.secret}`,
      `PSA_AUTOTASK_INTEGRATION_CODE=${c.autotask.integrationCode}`,
      "PSA_AUTOTASK_QUEUE_ID=1",
      `PSA_HALO_URL=${halo!.url}`,
      `PSA_HALO_CLIENT_ID=${c.halo.clientId}`,
      `PSA_HALO_CLIENT_SECRET=${c.halo.clientSecret}`,
    ].join("\n"),
  );
  console.log(`\nCompanies: ${cw!.state.companies.map((co) => co.name).join(", ")}. Serving until Ctrl-C.`);
  const shutdown = (): void => {
    void Promise.all(sims.map((s) => s.stop())).then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

await main();
