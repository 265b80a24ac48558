/**
 * Exactly one alert row per transition when two checks of one tenant race or one queue message
 * is processed twice; and a storage failure mid-run leaves nothing half-written, after which the
 * next run still writes the alert that was due.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTenantCheck, type RunnerStore } from "../../lib/runner/index.js";
import { StoreError, type Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import {
  accountIdOf,
  azuriteStore,
  barrier,
  CuttableProxy,
  proxiedStore,
  registered,
  runnerDeps,
  TestClock,
  uniqueTables,
  useSimulator,
} from "./runner-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
const woodgrove = registered("Woodgrove");

useSimulator((s, c) => {
  sim = s;
  clock = c;
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
    expect(first.filter((o) => o.alerts[0]).length).toBe(1);
    expect(first.find((o) => o.attempts === 2)?.transitions).toEqual([]);

    sd.isEnabled = false;
    clock.advanceHours(1);
    const race2 = racing(store, 2);
    const second = await Promise.all([0, 1].map(() => runTenantCheck(woodgrove, runnerDeps(sim, race2, clock))));
    expect(second.map((o) => o.attempts).sort()).toEqual([1, 2]);
    expect(second.filter((o) => o.alerts[0]).length).toBe(1);

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
    expect(again.alerts[0]).toBeUndefined();

    sim.state.tenant(woodgrove.tenantId).perUserMfa = {};
    clock.advanceHours(1);
    const both = await Promise.all([0, 1].map(() => runTenantCheck(woodgrove, runnerDeps(sim, store, clock))));
    expect(both.filter((o) => o.alerts[0]).length).toBe(1);

    const rows = await store.monitor.listAlerts(woodgrove.tenantId);
    expect(rows.map((r) => r.alert.transitions.map((t) => `${t.kind}:${"finding" in t ? t.finding.checkId : ""}`))).toEqual([
      ["drift-detected:per-user-mfa"],
      ["resolved:per-user-mfa"],
    ]);
  });
});

describe("runTenantCheck: a run older than the stored state", () => {
  /**
   * Run A starts at 01:00 and sees Security Defaults off (passing); run B starts at 01:05, after
   * they were turned on, and commits drift-detected first. A's older facts must not be recorded
   * over B's: no `resolved`, and the stored report does not go back in time.
   */
  it.each([
    ["after an ETag conflict (A read the state before B wrote)", "after-read", 2],
    ["on its first decision (A reads the state after B wrote)", "before-read", 1],
  ] as const)("is superseded %s: commits nothing, no transition", async (_label, gateAt, attempts) => {
    const store = azuriteStore(uniqueTables("Older"));
    const sd = sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy;
    sd.isEnabled = false;
    await runTenantCheck(woodgrove, runnerDeps(sim, store, clock)); // 00:00: compliant, version 1

    const clockA = new TestClock(new Date(Date.UTC(2026, 2, 2, 9, 0, 0)));
    const clockB = new TestClock(new Date(Date.UTC(2026, 2, 2, 9, 5, 0)));
    let collected: () => void = () => {};
    const aCollected = new Promise<void>((resolve) => (collected = resolve));
    let releaseA: () => void = () => {};
    const bCommitted = new Promise<void>((resolve) => (releaseA = resolve));
    let firstRead = true;
    const slowA: RunnerStore = {
      tenants: store.tenants,
      monitor: {
        readState: async (tenantId) => {
          if (!firstRead) return store.monitor.readState(tenantId);
          firstRead = false;
          collected(); // A's facts are in: B may change the tenant and run now
          if (gateAt === "before-read") await bCommitted;
          const read = await store.monitor.readState(tenantId);
          if (gateAt === "after-read") await bCommitted;
          return read;
        },
        commitRun: (write) => store.monitor.commitRun(write),
        deleteSnapshotsBefore: (tenantId, cutoff) => store.monitor.deleteSnapshotsBefore(tenantId, cutoff),
      },
    };
    const runA = runTenantCheck(woodgrove, runnerDeps(sim, slowA, clockA));
    await aCollected;
    sd.isEnabled = true;
    const b = await runTenantCheck(woodgrove, runnerDeps(sim, store, clockB));
    expect(b.transitions.map((t) => t.kind)).toEqual(["drift-detected"]);
    releaseA();
    const a = await runA;

    expect(a.report.checks.find((c) => c.id === "security-defaults")?.status).toBe("pass");
    expect(a).toMatchObject({ superseded: true, transitions: [], alerts: [], snapshot: undefined, attempts, stateVersion: 2 });
    expect(b.superseded).toBe(false);
    const stored = await store.monitor.readState(woodgrove.tenantId);
    expect(stored?.state.version).toBe(2);
    expect(stored?.state.lastReport.checkedAt).toBe(clockB.now().toISOString());
    expect(stored?.state.lastReport.status).toBe("drifted");
    const rows = await store.monitor.listAlerts(woodgrove.tenantId);
    expect(rows.map((r) => r.alert.transitions.map((t) => t.kind))).toEqual([["drift-detected"]]);
  });

  it("a redelivered message at the same instant with the same facts still decides (and finds nothing new)", async () => {
    const store = azuriteStore(uniqueTables("Same"));
    const first = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    const again = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    expect(first.superseded).toBe(false);
    expect(again).toMatchObject({ superseded: false, transitions: [], stateVersion: 2 });
  });
});

describe("runTenantCheck: clean-up after the commit", () => {
  it("a failing clean-up is logged, never thrown: the run stays recorded and needs no second run", async () => {
    const store = azuriteStore(uniqueTables("Tidy"));
    const warnings: string[] = [];
    let commits = 0;
    const failingCleanUp: RunnerStore = {
      tenants: {
        cacheAccountObjectId: async () => {
          throw new StoreError("Tenants table unreachable", new Error("ECONNREFUSED"));
        },
      },
      monitor: {
        readState: (tenantId) => store.monitor.readState(tenantId),
        commitRun: async (write) => {
          commits++;
          return store.monitor.commitRun(write);
        },
        deleteSnapshotsBefore: async () => {
          throw new StoreError("snapshot clean-up failed", new Error("timeout"));
        },
      },
    };
    sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    const outcome = await runTenantCheck(woodgrove, runnerDeps(sim, failingCleanUp, clock, { logger: { warn: (m) => warnings.push(m) } }));
    expect(outcome.transitions.map((t) => t.kind)).toEqual(["drift-detected"]);
    expect(outcome.alerts[0]).toBeDefined();
    expect(outcome).toMatchObject({ stateVersion: 1, attempts: 1, removedSnapshots: 0, superseded: false });
    expect(commits).toBe(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/recorded, but caching the account's object id failed.*Tenants table unreachable/);
    expect(warnings[1]).toMatch(/recorded, but removing old snapshots failed.*snapshot clean-up failed/);
    expect((await store.monitor.readState(woodgrove.tenantId))?.state.version).toBe(1);
    expect((await store.monitor.listAlerts(woodgrove.tenantId)).map((r) => r.alert.transitions.map((t) => t.kind))).toEqual([["drift-detected"]]);
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
    const viaProxy = proxiedStore(tables, proxy);
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
