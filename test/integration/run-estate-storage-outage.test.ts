/**
 * `drift-monitor run` through a storage outage on one tenant's lease: storage goes away (the
 * connection to Azurite cut, through a proxy) exactly while the run takes the second tenant's
 * check lease, and comes back after. That tenant is the run's error row; the run itself goes on:
 * the tenants before and after it are checked, their alerts are written to the outbox for the
 * delivery that follows, and every lease taken is freed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEstate } from "../../cli/run-estate.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { azuriteStore, CuttableProxy, proxiedStore, registered, runnerDeps, uniqueTables, useSimulator } from "./runner-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
useSimulator((s, c) => {
  sim = s;
  clock = c;
});

let proxy: CuttableProxy;
beforeAll(async () => {
  proxy = await CuttableProxy.start(Number(new URL(process.env.AZURITE_TABLE_URL ?? "").port));
});
afterAll(async () => {
  await proxy.stop();
});

const [fabrikam, litware, woodgrove] = ["Fabrikam", "Litware", "Woodgrove"].map((name) => registered(name));

describe("runEstate: one tenant's storage error", () => {
  it("is that tenant's error row; the others are checked, their alerts written, every lease freed", async () => {
    const tables = uniqueTables("Outage");
    const direct = azuriteStore(tables);
    const viaProxy = proxiedStore(tables, proxy);
    // Woodgrove drifts: its first check writes a drift-detected to the outbox.
    sim.state.tenant(woodgrove!.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    const leases = {
      acquire: async (...args: Parameters<typeof viaProxy.leases.acquire>) => {
        if (args[0] !== litware!.tenantId) return viaProxy.leases.acquire(...args);
        proxy.cutOff(); // storage is down exactly while Litware's lease is taken
        try {
          return await viaProxy.leases.acquire(...args);
        } finally {
          proxy.heal();
        }
      },
      release: (...args: Parameters<typeof viaProxy.leases.release>) => viaProxy.leases.release(...args),
    };

    const run = await runEstate([fabrikam!, litware!, woodgrove!], runnerDeps(sim, viaProxy, clock), {
      concurrency: 1,
      leases: { store: leases, durationMs: 15 * 60_000 },
    });

    const byName = new Map(run.rows.map((r) => [r.tenantId, r]));
    expect(byName.get(litware!.tenantId)).toMatchObject({ status: "error", alertId: null });
    expect(byName.get(litware!.tenantId)?.error).toMatch(/lease/i);
    expect(byName.get(fabrikam!.tenantId)?.status).not.toBe("error");
    expect(byName.get(woodgrove!.tenantId)).toMatchObject({ status: "drifted", transitions: expect.arrayContaining(["drift-detected"]) });
    // The checks that finished are in the outbox for the delivery after the run.
    const alerts = await direct.monitor.listAlerts(woodgrove!.tenantId);
    expect(alerts.map((a) => a.alert.id)).toEqual([byName.get(woodgrove!.tenantId)?.alertId]);
    expect((await direct.monitor.readState(fabrikam!.tenantId))?.state.version).toBe(1);
    expect(run.totals.error).toBe(1);
    // Every lease the run took is freed: a second run checks all three again.
    for (const t of [fabrikam!, woodgrove!]) expect(await direct.leases.acquire(t.tenantId, clock.now(), 60_000, "test")).toMatchObject({ acquired: true });
  });
});
