/**
 * Writes test/fixtures/stored-estate/v1.json: a small estate as the current version stores it, for
 * the upgrade test of the next one. It runs this checkout's code against the Graph simulator and a
 * fresh in-memory Azurite on a fixed clock: the operator's commands through the CLI, the checks
 * through the runner and the alerts through delivery (as `drift-monitor run --deliver` would, but on
 * the script's clock rather than the storage service's):
 *
 *   08:00 four tenants registered and checked, alerts delivered (Fabrikam drifted: an open finding);
 *   09:00 Security Defaults on in Woodgrove Bank and Adatum, a blocking policy in Tailspin Toys: three
 *         drifts, delivered;
 *   10:00 Woodgrove's acknowledged for a week, Adatum's excepted until June;
 *   11:00 Tailspin's policy removed: resolved, its alert left in the outbox unsent (no --deliver).
 *
 * then dumps every table's rows (test/support/stored-estate.ts) with what `status` showed.
 * Run it again only to re-record the previous version: `npx tsx scripts/stored-estate-fixture.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startAzurite } from "../cli/demo/azurite.js";
import { childTls, runInTrustedChild } from "../cli/demo/trusted-child.js";
import { startSimulator } from "../sim/server.js";
import { sampleTenant } from "../sim/estate/index.js";
import { createApp } from "../functions/app/app.js";
import { deliverDue } from "../lib/alerts/deliver.js";
import { evaluate, getProfile } from "../lib/checks/index.js";
import { collectAccounts, createGraphClient } from "../lib/graph/index.js";
import { runTenantCheck } from "../lib/runner/index.js";
import { createStore } from "../lib/store/index.js";
import type { RunningSimulator } from "../sim/server.js";
import { runCliCaptured } from "../test/support/cli.js";
import { dumpTables, storedEstateSchema, type StoredEstate } from "../test/support/stored-estate.js";

const OUT = resolve(import.meta.dirname, "../test/fixtures/stored-estate/v1.json");
const START = Date.UTC(2026, 2, 2, 8, 0, 0);
const TENANTS = ["Woodgrove", "Fabrikam", "Adatum", "Tailspin Toys"].map(sampleTenant);

/** The runner as the Functions app wires it, on the script's clock, reading Graph from the simulator. */
function runnerDeps(sim: RunningSimulator, store: ReturnType<typeof createStore>, now: () => Date) {
  return {
    store,
    graphClient: (tenant: { tenantId: string }) =>
      createGraphClient({
        tenantId: tenant.tenantId,
        settings: { graphEndpoint: sim.url, graphAuth: { mode: "token" as const, accessToken: sim.mintToken(tenant.tenantId), authorityHost: sim.url } },
        maxRetries: 0,
      }),
    collectAccounts,
    evaluate,
    getProfile,
    now,
    settings: { reminderHours: 24, unknownAlertAfter: 3, snapshotRetentionDays: 90, signInLookbackHours: 24, graphEndpoint: sim.url },
    collectOptions: { sleep: async () => {}, random: () => 0.5 },
  };
}

async function record(certFile: string, keyFile: string): Promise<StoredEstate> {
  const outbox = mkdtempSync(join(tmpdir(), "stored-estate-outbox-"));
  const [azurite, sim] = await Promise.all([
    startAzurite(),
    startSimulator({ tls: { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") } }),
  ]);
  try {
    let at = START;
    const now = () => new Date(at);
    sim.state.setClock(now);
    const env = {
      AzureWebJobsStorage: azurite.connectionString,
      AZURE_CLIENT_ID: "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11",
      AZURE_CLIENT_SECRET: "fixture-only",
      AZURE_AUTHORITY_HOST: sim.url,
      GRAPH_ENDPOINT: sim.url,
      OUTBOX_DIR: outbox,
      ALERT_TO: "noc@msp.example",
      DRIFT_OPERATOR: "ann@msp.example",
    };
    const cli = async (...argv: string[]): Promise<string> => {
      const r = await runCliCaptured(argv, env, now);
      if (r.code !== 0) throw new Error(`drift-monitor ${argv.join(" ")} exited ${r.code}: ${r.err}`);
      return r.out;
    };
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    const run = async (deliver: boolean): Promise<void> => {
      for (const t of TENANTS) {
        const tenant = await store.tenants.get(t.tenantId);
        if (!tenant) throw new Error(`${t.displayName} is not registered`);
        await runTenantCheck(tenant, runnerDeps(sim, store, now));
      }
      if (deliver) await deliverDue(createApp({ env, now }).deliveryDeps(undefined, { settled: true }));
    };
    const [woodgrove, adatum, tailspin] = [TENANTS[0]!, TENANTS[2]!, TENANTS[3]!];
    for (const t of TENANTS)
      await cli("tenants", "add", "--tenant", t.tenantId, "--account", t.account, "--name", t.displayName, "--recipients", "it@customer.example");
    await run(true);

    at += 3_600_000;
    sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    sim.state.tenant(adatum.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    const policies = sim.state.tenant(tailspin.tenantId).conditionalAccessPolicies;
    policies.push({
      id: "d7f399a0-0000-4000-8000-0000000000f1",
      displayName: "Block everyone outside the office",
      state: "enabled",
      conditions: {
        clientAppTypes: ["all"],
        applications: { includeApplications: ["All"], excludeApplications: [] },
        users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
      },
      grantControls: { operator: "OR", builtInControls: ["block"] },
      sessionControls: null,
    });
    await run(true);

    at += 3_600_000;
    await cli("findings", "ack", "--tenant", woodgrove.tenantId, "--check", "security-defaults", "--reason", "customer call Monday", "--for", "7d");
    await cli(
      "exceptions",
      "add",
      "--tenant",
      adatum.tenantId,
      "--check",
      "security-defaults",
      "--reason",
      "pilot of Security Defaults",
      "--owner",
      "bob@msp.example",
      "--reference",
      "CHG-1042",
      "--expires",
      "2026-06-30",
    );

    at += 3_600_000;
    policies.pop();
    await run(false);

    const expected = {
      estate: JSON.parse(await cli("status", "--json")) as unknown,
      tenants: Object.fromEntries(
        await Promise.all(TENANTS.map(async (t) => [t.tenantId, JSON.parse(await cli("status", "--tenant", t.tenantId, "--json")) as unknown])),
      ),
    };
    const about = "Written by scripts/stored-estate-fixture.ts (the previous version's CLI over the simulator and Azurite); not edited by hand.";
    return storedEstateSchema.parse({ about, now: now().toISOString(), tables: await dumpTables(azurite.connectionString), expected });
  } finally {
    await Promise.all([azurite.stop(), sim.stop()]);
    rmSync(outbox, { recursive: true, force: true });
  }
}

const tls = childTls(process.env);
if (!tls) {
  process.exitCode = await runInTrustedChild();
} else {
  const estate = await record(tls.certFile, tls.keyFile);
  writeFileSync(OUT, `${JSON.stringify(estate, null, 1)}\n`);
  const rows = Object.entries(estate.tables).map(([name, r]) => `${name} ${r.length}`);
  process.stdout.write(`wrote ${OUT}: ${rows.join(", ")}\n`);
}
