/**
 * History through the runner: a ~300-policy tenant's state and snapshot round-trip intact, the
 * difference between two snapshots, and retention.
 */
import { describe, expect, it } from "vitest";
import { collectAccounts } from "../../lib/graph/index.js";
import type { TenantFacts } from "../../lib/model/facts.js";
import { diffOfSnapshots, latestChange, latestState, runTenantCheck, snapshotHistory } from "../../lib/runner/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { azuriteStore, registered, runnerDeps, uniqueTables, useSimulator } from "./runner-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;

useSimulator((s, c) => {
  sim = s;
  clock = c;
});

describe("runTenantCheck: history", () => {
  it("a tenant with ~300 Conditional Access policies round-trips intact (state and snapshot beyond one property)", async () => {
    const store = azuriteStore(uniqueTables("Big"));
    const relecloud = registered("Relecloud");
    let collected: TenantFacts | undefined;
    const outcome = await runTenantCheck(
      relecloud,
      runnerDeps(sim, store, clock, {
        collectAccounts: async (...args) => {
          const result = await collectAccounts(...args);
          collected = result.byAccount.get("");
          return result;
        },
      }),
    );
    if (!collected) throw new Error("nothing collected");
    const policies = collected.conditionalAccessPolicies;
    expect(policies.ok && policies.value.length).toBeGreaterThanOrEqual(295);

    const state = await latestState(store.monitor, relecloud.tenantId);
    expect(state?.lastReport).toEqual(JSON.parse(JSON.stringify(outcome.report)));
    // A string property holds 64 KiB of UTF-16, i.e. 32 K characters: this state could not be one.
    expect(JSON.stringify(state).length).toBeGreaterThan(32 * 1024);

    const [summary] = await snapshotHistory(store.monitor, relecloud.tenantId);
    const snapshot = summary ? await store.monitor.getSnapshot(relecloud.tenantId, summary.id) : undefined;
    expect(JSON.stringify(snapshot).length).toBeGreaterThan(64 * 1024);
    // The collector's facts whole (plus, when What If was asked, Microsoft's answers).
    const { whatIf: _whatIf, ...stored } = (snapshot?.facts ?? {}) as Record<string, unknown>;
    expect(stored).toEqual(JSON.parse(JSON.stringify(collected)));
    expect(snapshot?.report).toEqual(state?.lastReport);
  });

  it("the difference between snapshots: policies appeared and changed, checks and status changed", async () => {
    const store = azuriteStore(uniqueTables("Hist"));
    const woodgrove = registered("Woodgrove");
    const tenant = sim.state.tenant(woodgrove.tenantId);
    await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));

    const edited = tenant.conditionalAccessPolicies.find((p) => p.state === "enabled");
    if (!edited) throw new Error("no enabled policy");
    edited.state = "enabledForReportingButNotEnforced";
    const removed = tenant.conditionalAccessPolicies.pop();
    tenant.identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceHours(1);
    await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    clock.advanceHours(1);
    await runTenantCheck(woodgrove, runnerDeps(sim, store, clock)); // nothing changed: no snapshot

    const history = await snapshotHistory(store.monitor, woodgrove.tenantId);
    expect(history.map((h) => h.takenAt)).toEqual([clock.advanceHours(-1).toISOString(), clock.advanceHours(-1).toISOString()]);
    expect(history.map((h) => h.status)).toEqual(["drifted", "compliant"]);

    const change = await latestChange(store.monitor, woodgrove.tenantId);
    expect(change?.diff?.status).toEqual({ from: "compliant", to: "drifted" });
    expect(change?.diff?.checks).toContainEqual({ id: "security-defaults", from: "pass", to: "fail" });
    expect(change?.diff?.policies?.changed).toEqual([{ id: edited.id, displayName: edited.displayName, fields: ["state"] }]);
    expect(change?.diff?.policies?.disappeared).toEqual([{ id: removed?.id, displayName: removed?.displayName }]);
    expect(change?.diff?.policies?.appeared).toEqual([]);

    const [newer, older] = history;
    const byId = newer && older ? await diffOfSnapshots(store.monitor, woodgrove.tenantId, newer.id, older.id) : undefined;
    expect(byId).toEqual(change?.diff);
  });

  it("removes snapshots older than SNAPSHOT_RETENTION_DAYS, keeping the rest", async () => {
    const store = azuriteStore(uniqueTables("Keep"));
    const woodgrove = registered("Woodgrove");
    const first = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    clock.advanceHours(50 * 24);
    const middle = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    expect(middle.snapshot?.reason).toBe("daily");
    expect(middle.removedSnapshots).toBe(0);
    clock.advanceHours(45 * 24);
    const last = await runTenantCheck(woodgrove, runnerDeps(sim, store, clock));
    expect(last.removedSnapshots).toBe(1);
    const ids = (await snapshotHistory(store.monitor, woodgrove.tenantId)).map((s) => s.id);
    expect(ids).toEqual([last.snapshot?.id, middle.snapshot?.id]);
    expect(ids).not.toContain(first.snapshot?.id);
  });
});
