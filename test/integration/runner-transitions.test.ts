/**
 * Each alert transition, end to end: the simulator's sample tenant is changed between runs, and
 * the real collector, rules, drift and store (Azurite) decide and record what to mail.
 */
import { describe, expect, it } from "vitest";
import type { GraphCaPolicy } from "../../sim/types.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { accountIdOf, blockingCaPolicy, registered, registeredIn, runnerDeps, transitionLabels as labels, useSimulatorAndStore } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Run", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

async function run(name: string): Promise<RunOutcome> {
  const tenant = await registeredIn(store, name);
  return runTenantCheck(tenant, runnerDeps(sim, store, clock));
}

const blockingPolicy = (id: string): GraphCaPolicy => blockingCaPolicy(id, { displayName: "CA99 - Require MFA for everyone <b>now</b>" });

describe("runTenantCheck: transitions driven by the simulator", () => {
  it("drift detected → silence → reminder → resolved, Conditional Access by policy, and a security notice", async () => {
    const woodgrove = sim.state.tenant(registered("Woodgrove").tenantId);
    const accountId = accountIdOf(sim, registered("Woodgrove"));

    const first = await run("Woodgrove");
    expect(first.report.status).toBe("compliant");
    expect(first.transitions).toEqual([]);
    expect(first.alerts[0]).toBeUndefined();
    expect(first.snapshot?.reason).toBe("first");
    expect((await store.tenants.get(first.tenantId))?.accounts[0]?.objectId).toBe(accountId);

    woodgrove.identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceHours(1);
    const drift = await run("Woodgrove");
    expect(labels(drift.transitions)).toEqual(["drift-detected:security-defaults|"]);
    expect(drift.alerts[0]).toMatchObject({ tenantName: "Woodgrove Bank", recipients: ["ops@example.com"], tenantStatus: "drifted", stateVersion: 1 });
    expect(drift.snapshot?.reason).toBe("facts-changed");
    // A steady-state check (object id cached) costs two Graph round trips.
    expect(drift.roundTrips).toBeLessThanOrEqual(3);

    clock.advanceHours(2);
    const quiet = await run("Woodgrove");
    expect(quiet.transitions).toEqual([]);
    expect(quiet.snapshot).toBeUndefined();

    clock.advanceHours(22); // 24 h after the drift-detected email
    const reminder = await run("Woodgrove");
    expect(labels(reminder.transitions)).toEqual(["reminder:security-defaults|"]);
    expect(reminder.snapshot?.reason).toBe("daily");

    woodgrove.identitySecurityDefaultsEnforcementPolicy.isEnabled = false;
    clock.advanceHours(1);
    expect(labels((await run("Woodgrove")).transitions)).toEqual(["resolved:security-defaults|"]);

    const policyId = "d7f399a0-0000-4000-8000-000000000099";
    woodgrove.conditionalAccessPolicies.push(blockingPolicy(policyId));
    clock.advanceHours(1);
    const ca = await run("Woodgrove");
    expect(labels(ca.transitions)).toEqual([`drift-detected:conditional-access|${policyId}`]);
    const caFinding = ca.transitions[0];
    expect(caFinding && "finding" in caFinding ? caFinding.finding.subjectName : null).toBe("CA99 - Require MFA for everyone <b>now</b>");

    woodgrove.authenticationMethods[accountId] = [
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490", password: null, createdDateTime: null },
      {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
        id: "6f3a2c6e-2d6b-4d1f-9b7e-0c5e3f4a7b21",
        displayName: "Pixel 8",
        deviceTag: "SoftwareTokenActivated",
        phoneAppVersion: "6.2404.2229",
        createdDateTime: "2026-03-03T09:00:00Z",
      },
    ];
    woodgrove.conditionalAccessPolicies = woodgrove.conditionalAccessPolicies.filter((p) => p.id !== policyId);
    clock.advanceHours(1);
    const notice = await run("Woodgrove");
    // One email carries both transitions of the run.
    expect(labels(notice.transitions)).toEqual([`resolved:conditional-access|${policyId}`, "security-notice"]);
    expect(notice.transitions[1]).toMatchObject({ added: [{ type: "microsoftAuthenticatorAuthenticationMethod", label: "Pixel 8" }], removed: [] });

    const rows = await store.monitor.listAlerts(first.tenantId);
    expect(rows.map((r) => labels(r.alert.transitions))).toEqual([
      ["drift-detected:security-defaults|"],
      ["reminder:security-defaults|"],
      ["resolved:security-defaults|"],
      [`drift-detected:conditional-access|${policyId}`],
      [`resolved:conditional-access|${policyId}`, "security-notice"],
    ]);
    expect(rows.every((r) => r.delivery === "pending")).toBe(true);
  });

  it("an account deleted and re-created under the same UPN between two runs: no false drift, no email, the new id cached", async () => {
    const base = registered("Woodgrove");
    const tenant = sim.state.tenant(base.tenantId);
    const oldId = accountIdOf(sim, base);
    await run("Woodgrove");
    expect((await store.tenants.get(base.tenantId))?.accounts[0]?.objectId).toBe(oldId);

    // Deleted and re-created: a new object with the same UPN, kept in the groups that exclude it from CA.
    const account = tenant.users.find((u) => u.id === oldId);
    if (!account) throw new Error("no account");
    const newId = "d7f10100-0000-4000-8000-0000000000ff";
    tenant.users = [...tenant.users.filter((u) => u.id !== oldId), { ...account, id: newId }];
    for (const members of Object.values(tenant.groupMembers)) if (members.includes(oldId)) members.push(newId);
    for (const a of [...tenant.roleAssignments])
      if (a.principalId === oldId) tenant.roleAssignments.push({ ...a, id: `${String(a.id)}-new`, principalId: newId });
    clock.advanceHours(1);
    sim.state.resetCounters();
    const next = await run("Woodgrove");
    expect(next.report.account.id).toBe(newId);
    expect(next.report.status).toBe("compliant");
    expect(next.transitions).toEqual([]);
    expect(next.alerts[0]).toBeUndefined();
    expect(await store.monitor.listAlerts(base.tenantId)).toEqual([]);
    expect((await store.tenants.get(base.tenantId))?.accounts[0]?.objectId).toBe(newId);
    // The stale id cost one lookup by UPN and the per-account batches again, in the same run.
    expect(next.roundTrips).toBe(sim.state.counters.httpByTenant[base.tenantId] ?? 0);
    // User reads: the account and its signInActivity in the first batch (stale id), the lookup by UPN,
    // and signInActivity again with the new id (the account itself is not read twice).
    expect(sim.state.counters.byEndpoint.user).toBe(4);

    // The run after is back to the usual cost: the new id is known.
    clock.advanceHours(1);
    sim.state.resetCounters();
    const after = await run("Woodgrove");
    expect(after.transitions).toEqual([]);
    // The account and its signInActivity, both in the one v1.0 batch.
    expect(sim.state.counters.byEndpoint.user).toBe(2);
  });

  it("an account really deleted: drift detected, the stale id forgotten; re-created later: resolved", async () => {
    const base = registered("Woodgrove");
    const tenant = sim.state.tenant(base.tenantId);
    const oldId = accountIdOf(sim, base);
    await run("Woodgrove");
    const account = tenant.users.find((u) => u.id === oldId);
    if (!account) throw new Error("no account");
    tenant.users = tenant.users.filter((u) => u.id !== oldId);
    clock.advanceHours(1);
    const gone = await run("Woodgrove");
    expect(labels(gone.transitions)).toContain("drift-detected:account|");
    // Forgotten, so the runs while it stays missing look the UPN up once instead of batching a dead id.
    expect((await store.tenants.get(base.tenantId))?.accounts[0]?.objectId).toBeNull();

    const newId = "d7f10100-0000-4000-8000-0000000000fe";
    tenant.users.push({ ...account, id: newId });
    for (const members of Object.values(tenant.groupMembers)) if (members.includes(oldId)) members.push(newId);
    for (const a of [...tenant.roleAssignments])
      if (a.principalId === oldId) tenant.roleAssignments.push({ ...a, id: `${String(a.id)}-new`, principalId: newId });
    clock.advanceHours(1);
    const back = await run("Woodgrove");
    expect(back.report.account.id).toBe(newId);
    expect(labels(back.transitions)).toContain("resolved:account|");
    expect((await store.tenants.get(base.tenantId))?.accounts[0]?.objectId).toBe(newId);
  });

  it("monitoring degraded after three unknown runs (consent revoked), once, then restored", async () => {
    const tenant = sim.state.tenant(registered("Woodgrove").tenantId);
    await run("Woodgrove");
    tenant.consent = "revoked";
    const kinds: string[][] = [];
    for (let i = 0; i < 4; i++) {
      clock.advanceHours(1);
      const r = await run("Woodgrove");
      expect(r.report.status).toBe("unknown");
      kinds.push(labels(r.transitions));
    }
    expect(kinds).toEqual([[], [], ["monitoring-degraded"], []]);
    tenant.consent = "granted";
    clock.advanceHours(1);
    const back = await run("Woodgrove");
    expect(labels(back.transitions)).toEqual(["monitoring-restored"]);
    const degraded = (await store.monitor.listAlerts(back.tenantId))[0]?.alert.transitions[0];
    expect(degraded).toMatchObject({ kind: "monitoring-degraded", unknownRuns: 3 });
    expect(degraded && degraded.kind === "monitoring-degraded" ? degraded.reasons.length : 0).toBeGreaterThan(0);
  });

  it("flapping Security Defaults: drift, resolved, drift again once, then quiet until the reminder says it flapped", async () => {
    const tenant = sim.state.tenant(registered("Woodgrove").tenantId);
    const sd = tenant.identitySecurityDefaultsEnforcementPolicy;
    const seen: string[][] = [];
    for (const on of [true, false, true, false, true]) {
      sd.isEnabled = on;
      seen.push(labels((await run("Woodgrove")).transitions));
      clock.advanceHours(1);
    }
    // Told it was fixed, people hear at once that it broke again; the next flap is quiet.
    expect(seen).toEqual([["drift-detected:security-defaults|"], ["resolved:security-defaults|"], ["drift-detected:security-defaults|"], [], []]);
    clock.advanceHours(21); // 24 h after the second drift-detected email
    const reminder = await run("Woodgrove");
    expect(reminder.transitions).toMatchObject([{ kind: "reminder", flaps: 1 }]);
  });
});
