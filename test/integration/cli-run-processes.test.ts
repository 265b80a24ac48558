/**
 * The CLI in the shape of many instances: K `drift-monitor run` processes (the real bin, each its
 * own Node process with its own pacer) at once on one storage account (an Azurite of this file's
 * own: the commands use the product's table names) and one simulator. Each run takes a tenant's
 * check lease before checking it, as the Functions app does, so a tenant another run is checking
 * right now is `skipped` rather than checked twice at once (its per-tenant Graph budgets stay one
 * process's); no run fails, every tenant is checked, and a tenant checked by several runs one after
 * the other moves 1 to K versions on. A drift is written as a transition once.
 * (The Functions shape, K workers on the tenant-checks queue, is measured by `npm run bench -- --workers K`.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { createStore } from "../../lib/store/index.js";
import type { TenantRunRow } from "../../cli/run-estate.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { cliEnv } from "./cli-helpers.js";

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/drift-monitor.js", import.meta.url));
const K = 3;
const TENANTS = ["Fabrikam", "Litware", "Woodgrove"].map((name) => sampleTenant(name));

let azurite: RunningAzurite;
let sim: RunningSimulator;
beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

const env = (): Record<string, string> => cliEnv(azurite, sim);

async function run(): Promise<{ code: number; rows: TenantRunRow[]; stderr: string }> {
  const child = exec(process.execPath, [BIN, "run", "--json", "--concurrency", "4"], { env: { ...process.env, ...env() } });
  const { code, stdout, stderr } = await child.then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
  );
  return { code, rows: stdout ? (JSON.parse(stdout) as { tenants: TenantRunRow[] }).tenants : [], stderr };
}

describe(`${K} drift-monitor run processes on one storage account`, () => {
  it("each checks every tenant without error; the state stays consistent and a drift is written once", { timeout: 180_000 }, async () => {
    const store = createStore(loadStoreSettings(env()).storage);
    for (const t of TENANTS) await store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, account: t.account, recipients: ["ops@example.com"] });

    const runs = await Promise.all(Array.from({ length: K }, () => run()));
    const drifted = TENANTS.some((t) => t.expected === "drifted");
    expect(drifted, "the sample has a drifted tenant (Fabrikam)").toBe(true);
    for (const r of runs) {
      expect(r.rows.map((row) => row.error)).toEqual(TENANTS.map(() => null));
      for (const t of TENANTS) expect(["skipped", t.expected], t.displayName).toContain(r.rows.find((row) => row.tenantId === t.tenantId)?.status);
      // Exit 1 for the run that checked the drifted tenant; a skipped tenant is being checked elsewhere.
      const sawDrift = r.rows.some((row) => row.status === "drifted");
      expect(r.code, r.stderr).toBe(sawDrift ? 1 : 0);
    }
    for (const t of TENANTS) {
      const checkedBy = runs.filter((r) => r.rows.find((row) => row.tenantId === t.tenantId)?.status === t.expected).length;
      expect(checkedBy, `${t.displayName} is checked by at least one run`).toBeGreaterThanOrEqual(1);
    }
    const states = await store.monitor.listStates();
    for (const t of TENANTS) {
      const version = states.find((s) => s.tenantId === t.tenantId)?.version ?? 0;
      expect(version >= 1 && version <= K, `${t.displayName}: version ${version}`).toBe(true);
    }
    // The first run to commit found the drift; the others read its state (or were superseded) and wrote nothing new.
    for (const t of TENANTS.filter((t) => t.expected === "drifted")) {
      const written = runs.flatMap((r) => r.rows.filter((row) => row.tenantId === t.tenantId).flatMap((row) => row.transitions));
      expect(
        written.filter((kind) => kind === "drift-detected"),
        t.displayName,
      ).toHaveLength(1);
    }
  });
});
