/**
 * Exactly one alert row per transition when two checks of one tenant race or one queue message
 * is processed twice; and a storage failure mid-run leaves nothing half-written, after which the
 * next run still writes the alert that was due.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runTenantCheck, type RunnerStore } from "../../lib/runner/index.js";
import { StoreError, type Store } from "../../lib/store/index.js";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { accountIdOf, azuriteStore, barrier, CuttableProxy, registered, runnerDeps, TestClock, uniqueTables } from "./runner-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
const woodgrove = registered("Woodgrove");

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
});

/** The store with every first read of a run held at a gate until `parties` runs have read. */
function racing(store: Store, parties: number): RunnerStore {
  const gate = barrier(parties);
  let reads = 0;
  return {
    tenants: store.tenants,
    monitor: {
      readState: async (tenantId) => {
        const read = await store.monitor.readState(tenantId);
        if (++reads <= parties) await gate();
        return read;
      },
      commitRun: (write) => store.monitor.commitRun(write),
      deleteSnapshotsBefore: (tenantId, cutoff) => store.monitor.deleteSnapshotsBefore(tenantId, cutoff),
    },
  };
}

describe("runTenantCheck: concurrency", () => {
  it("two checks of one tenant racing write exactly one alert per transition (first run and later)", async () => {
    const store = azuriteStore(uniqueTables("Race"));
    const sd = sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy;

    sd.isEnabled = true;
    const race1 = racing(store, 2); // one gate shared by both runs
    const first = await Promise.all([0, 1].map(() => runTenantCheck(woodgrove, runnerDeps(sim, race1, clock))));
    expect(first.map((o) => o.attempts).sort()).toEqual([1, 2]);
    expect(first.filter((o) => o.alert).length).toBe(1);
    expect(first.find((o) => o.attempts === 2)?.transitions).toEqual([]);

    sd.isEnabled = false;
    clock.advanceHours(1);
    const race2 = racing(store, 2);
    const second = await Promise.all([0, 1].map(() => runTenantCheck(woodgrove, runnerDeps(sim, race2, clock))));
    expect(second.map((o) => o.attempts).sort()).toEqual([1, 2]);
    expect(second.filter((o) => o.alert).length).toBe(1);

    const rows = await store.monitor.listAlerts(woodgrove.tenantId);
    expect(rows.map((r) => r.alert.transitions.map((t) => t.kind))).toEqual([["drift-detected"], ["resolved"]]);
    // Four runs were recorded, one after another.
    expect((await store.monitor.readState(woodgrove.tenantId))?.state.version).toBe(4);
  });

  it("one queue message processed twice — one after the other, or at once — writes one alert row", async () => {
    const store = azuriteStore(uniqueTables("Twice"));
    await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    sim.state.tenant(woodgrove.tenantId).perUserMfa[accountIdOf(sim, woodgrove)] = "enforced";

    clock.advanceHours(1);
    const once = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    const again = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock)); // redelivered
    expect(once.transitions.map((t) => t.kind)).toEqual(["drift-detected"]);
    expect(again.transitions).toEqual([]);
    expect(again.alert).toBeUndefined();

    sim.state.tenant(woodgrove.tenantId).perUserMfa = {};
    clock.advanceHours(1);
    const both = await Promise.all([0, 1].map(() => runTenantCheck(woodgrove, runnerDeps(sim, store, clock))));
    expect(both.filter((o) => o.alert).length).toBe(1);

    const rows = await store.monitor.listAlerts(woodgrove.tenantId);
    expect(rows.map((r) => r.alert.transitions.map((t) => `${t.kind}:${"finding" in t ? t.finding.checkId : ""}`))).toEqual([
      ["drift-detected:per-user-mfa"],
      ["resolved:per-user-mfa"],
    ]);
  });
});

describe("runTenantCheck: storage failure mid-run", () => {
  let proxy: CuttableProxy;
  beforeAll(async () => {
    const tablePort = Number(new URL(process.env.AZURITE_TABLE_URL ?? "").port);
    proxy = await CuttableProxy.start(tablePort);
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it("fails loudly, leaves nothing half-written, and the next run still writes the alert that was due", async () => {
    const tables = uniqueTables("Cut");
    const direct = azuriteStore(tables);
    const connectionString = (process.env.AzureWebJobsStorage ?? "").replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, `TableEndpoint=http://127.0.0.1:${proxy.port}`);
    const viaProxy = azuriteStore(tables, connectionString, { clientOptions: { retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 20 } } });
    let cutAfterRead = false;
    const store: RunnerStore = {
      tenants: viaProxy.tenants,
      monitor: {
        readState: async (tenantId) => {
          const read = await viaProxy.monitor.readState(tenantId);
          if (cutAfterRead) proxy.cutOff(); // storage goes away between the read and the write
          return read;
        },
        commitRun: (write) => viaProxy.monitor.commitRun(write),
        deleteSnapshotsBefore: (tenantId, cutoff) => viaProxy.monitor.deleteSnapshotsBefore(tenantId, cutoff),
      },
    };

    await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;

    cutAfterRead = true;
    clock.advanceHours(1);
    const failed = runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    await expect(failed).rejects.toBeInstanceOf(StoreError);
    await expect(failed).rejects.toThrow(/could not write the run of tenant/);

    // Nothing of the failed run is stored: not its state, not its snapshot, not its alert.
    expect((await direct.monitor.readState(woodgrove.tenantId))?.state.version).toBe(1);
    expect(await direct.monitor.listAlerts(woodgrove.tenantId)).toEqual([]);
    expect((await direct.monitor.listSnapshots(woodgrove.tenantId)).length).toBe(1);

    proxy.heal();
    cutAfterRead = false;
    clock.advanceHours(1);
    const recovered = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    expect(recovered.transitions.map((t) => t.kind)).toEqual(["drift-detected"]);
    const rows = await direct.monitor.listAlerts(woodgrove.tenantId);
    expect(rows.map((r) => r.alert.transitions.map((t) => t.kind))).toEqual([["drift-detected"]]);
    expect((await direct.monitor.readState(woodgrove.tenantId))?.state.version).toBe(2);
  });
});
