/**
 * admin-role from PIM's schedule instances, through the real runner, collector and simulator
 * (Azurite for the store): Woodgrove Bank's connection account and emergency-access account hold
 * Global Administrator permanently (both pass); made time-bound, the emergency-access account fails
 * ("time-bound") and the connection account warns before the end, an early warning mailed once;
 * an activation with no eligibility left fails the emergency-access account too.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { GLOBAL_ADMIN_TEMPLATE_ID } from "../../lib/model/facts.js";
import type { CheckResult } from "../../lib/model/report.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import { sampleTenant, type RunningSimulator } from "../../sim/testing.js";
import { runnerDeps, useSimulatorAndStore, type TestClock } from "./runner-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
let store: Store;
useSimulatorAndStore("Pim", (s, c, st) => ((sim = s), (clock = c), (store = st)));

const woodgrove = sampleTenant("Woodgrove");
const connection = woodgrove.monitoredAccounts[0]!;
const emergency = woodgrove.monitoredAccounts.find((a) => a.kind === "emergency-access")!;
let tenant: RegisteredTenant;

beforeEach(async () => {
  tenant = await store.tenants.put({
    tenantId: woodgrove.tenantId,
    displayName: woodgrove.displayName,
    recipients: ["ops@example.com"],
    accounts: [{ ref: connection.ref }, { ref: emergency.ref, kind: "emergency-access" }],
  });
});

/** The id of the account's Global Administrator assignment in the simulator. */
function gaAssignmentOf(objectId: string | null): string {
  const a = sim.state.tenant(woodgrove.tenantId).roleAssignments.find((r) => r.principalId === objectId && r.roleDefinitionId === GLOBAL_ADMIN_TEMPLATE_ID);
  if (!a) throw new Error(`no Global Administrator assignment for ${objectId}`);
  return a.id;
}

function adminRole(outcome: RunOutcome, ref: string): CheckResult {
  const account = outcome.accounts.find((a) => a.accountRef === ref);
  const check = account?.report.checks.find((c) => c.id === "admin-role");
  if (!check) throw new Error(`no admin-role result for ${ref}`);
  return check;
}

const inDays = (days: number): string => new Date(clock.now().getTime() + days * 86_400_000).toISOString();

describe("admin-role from PIM's schedule instances, through the runner", () => {
  it("permanent passes both; time-bound fails the emergency-access account and warns the connection account before its end", async () => {
    const deps = runnerDeps(sim, store, clock);
    const permanent = await runTenantCheck(tenant, deps);
    expect(adminRole(permanent, connection.ref)).toMatchObject({ status: "pass", summary: "Global Administrator is active" });
    expect(adminRole(permanent, emergency.ref)).toMatchObject({ status: "pass", summary: "Global Administrator is permanently active" });

    sim.state.tenant(woodgrove.tenantId).roleAssignmentSchedules = {
      [gaAssignmentOf(connection.objectId)]: { startDateTime: inDays(-30), endDateTime: inDays(5) },
      [gaAssignmentOf(emergency.objectId)]: { startDateTime: inDays(-30), endDateTime: inDays(200) },
    };
    clock.advanceHours(1);
    const timeBound = await runTenantCheck(tenant, deps);
    const ea = adminRole(timeBound, emergency.ref);
    expect(ea.status).toBe("fail");
    expect(ea.summary).toMatch(/^Global Administrator ends at \d{4}-\d\d-\d\d \d\d:\d\d UTC: time-bound$/);
    const conn = adminRole(timeBound, connection.ref);
    expect(conn.status).toBe("warn");
    expect(conn.summary).toMatch(/^Global Administrator ends at .* UTC, in 5 days$/);
    expect(conn.evidence?.join("\n")).toMatch(/PIM: Assigned, ends /);
    const early = timeBound.transitions.filter((t) => t.kind === "early-warning");
    expect(early.map((t) => ("finding" in t ? [t.finding.checkId, t.finding.summary] : []))).toEqual([["admin-role", conn.summary]]);
  });

  it("an activation with no eligibility left: the emergency-access account fails, the connection account warns", async () => {
    sim.state.tenant(woodgrove.tenantId).roleAssignmentSchedules = {
      [gaAssignmentOf(connection.objectId)]: { assignmentType: "Activated", startDateTime: inDays(0), endDateTime: inDays(0.25) },
      [gaAssignmentOf(emergency.objectId)]: { assignmentType: "Activated", startDateTime: inDays(0), endDateTime: inDays(0.25) },
    };
    const outcome = await runTenantCheck(tenant, runnerDeps(sim, store, clock));
    expect(sim.state.tenant(woodgrove.tenantId).roleEligibilityScheduleInstances).toEqual([]);
    expect(adminRole(outcome, emergency.ref)).toMatchObject({ status: "fail", summary: expect.stringMatching(/only through a PIM activation, which ends at/) });
    expect(adminRole(outcome, connection.ref)).toMatchObject({ status: "warn", summary: expect.stringMatching(/, in 1 day$/) });
  });
});
