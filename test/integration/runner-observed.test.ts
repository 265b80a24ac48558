/**
 * Observed sign-in contexts and What If through the runner, the simulator and Azurite. The account's
 * observed sign-in contexts decide location policies; a sign-in to Azure CLI is a mandatory-MFA
 * finding; a What If disagreement is reported once and not asked again while nothing changes; a
 * throttled or forbidden What If never makes the tenant unknown; a steady-state check costs no
 * extra round trip (the simulator's counters).
 */
import { describe, expect, it } from "vitest";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { accountIdOf, registered, registeredIn, runnerDeps, useSimulatorAndStore } from "./runner-helpers.js";
import { LOCATION_ID, azureCliSignIn, locationPolicy, officeLocation } from "./observed-helpers.js";
import { PERIODIC_READ_DEFAULTS } from "../../lib/config/periodic-read-defaults.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Obs", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

const NAME = "Contoso";
const POLICY_ID = "6a0c0000-0000-4000-8000-0000000000b1";

async function run(): Promise<RunOutcome> {
  const tenant = await registeredIn(store, NAME);
  // As production wires it: REGISTRATION_REPORT_HOURS set, so the state is read before Graph.
  const deps = runnerDeps(sim, store, clock);
  return runTenantCheck(tenant, { ...deps, settings: { ...deps.settings, registrationReportHours: 6 } });
}

const check = (o: RunOutcome, id: string) => o.report.checks.find((c) => c.id === id)!;
const tenantData = () => sim.state.tenant(registered(NAME).tenantId);

describe("observed sign-in contexts decide location policies", () => {
  it("a location policy that blocks the account's only IP is blocking", async () => {
    tenantData().namedLocations = [officeLocation];
    tenantData().conditionalAccessPolicies.push(locationPolicy(POLICY_ID, { includeLocations: [LOCATION_ID], excludeLocations: [] }));
    const o = await run();
    const ca = check(o, "conditional-access");
    expect(ca.status).toBe("fail");
    const f = ca.findings?.find((x) => x.policyId === POLICY_ID);
    expect(f?.effect).toBe("blocking");
    expect(f?.reason).toContain("blocks sign-ins from 20.61.13.77 (NL) to Microsoft Graph");
    expect(ca.evidence?.join("\n")).toContain("signed in from 20.61.13.77 (NL) to Microsoft Graph");
    expect(o.report.status).toBe("drifted");
  });

  it("one that excludes it is not-applicable", async () => {
    tenantData().namedLocations = [officeLocation];
    tenantData().conditionalAccessPolicies.push(locationPolicy(POLICY_ID, { includeLocations: ["All"], excludeLocations: [LOCATION_ID] }));
    const o = await run();
    const f = check(o, "conditional-access").findings?.find((x) => x.policyId === POLICY_ID);
    expect(f?.effect).toBe("not-applicable");
    expect(f?.reason).toContain("a new sign-in context could");
    expect(o.report.status).toBe("compliant");
  });
});

describe("Microsoft's mandatory MFA", () => {
  it("a sign-in to Azure CLI is a mandatory-MFA finding", async () => {
    const t = registered(NAME);
    tenantData().signIns.push(azureCliSignIn(accountIdOf(sim, t)));
    const o = await run();
    const m = check(o, "mandatory-mfa");
    expect(m.status).toBe("fail");
    expect(m.summary).toContain("Azure CLI");
    expect(m.reason).toContain("workload identity");
    expect(o.transitions.some((x) => "finding" in x && x.finding.checkId === "mandatory-mfa")).toBe(true);
  });
});

describe("the What If cross-check", () => {
  it("a disagreement is reported once and not again while nothing changes; the steady state costs no extra round trip", async () => {
    const policyId = String(tenantData().conditionalAccessPolicies[0]!.id);
    tenantData().whatIfDisagree = [policyId];
    const first = await run();
    expect(check(first, "what-if").status).toBe("warn");
    expect(check(first, "what-if").reason).toContain("our evaluator and Microsoft's What If disagree on policy");
    const c1 = structuredClone(sim.state.counters);
    expect(c1.byEndpoint.whatIf).toBe(1);
    expect(c1.byEndpoint.namedLocations).toBe(1);

    clock.advanceHours(1);
    sim.state.resetCounters();
    const second = await run();
    expect(check(second, "what-if").status).toBe("warn");
    expect(second.transitions).toEqual([]);
    const c2 = sim.state.counters;
    // Nothing changed: no What If, no named locations, one sign-in request (the failures), two round trips.
    expect(c2.byEndpoint.whatIf ?? 0).toBe(0);
    expect(c2.byEndpoint.namedLocations ?? 0).toBe(0);
    expect(c2.byEndpoint.signIns).toBe(1);
    expect(second.roundTrips).toBe(2);

    // A changed policy is a reason to ask again.
    tenantData().conditionalAccessPolicies[0]!.displayName = "renamed";
    clock.advanceHours(1);
    sim.state.resetCounters();
    await run();
    expect(sim.state.counters.byEndpoint.whatIf).toBe(1);
  });

  it("contexts are read again when SIGNIN_CONTEXT_HOURS have passed", async () => {
    await run();
    clock.advanceHours(PERIODIC_READ_DEFAULTS.signInContextHours);
    sim.state.resetCounters();
    await run();
    expect(sim.state.counters.byEndpoint.signIns).toBe(2);
    expect(sim.state.counters.byEndpoint.namedLocations).toBe(1);
  });

  it.each([
    ["throttled (429)", "429" as const, /throttled/],
    ["forbidden (403)", "403" as const, /Policy\.Read\.ConditionalAccess/],
  ])("a %s What If never makes the tenant unknown: the cross-check is skipped", async (_n, kind, text) => {
    sim.state.addFault({ tenantId: registered(NAME).tenantId, endpoint: "whatIf", kind });
    const o = await run();
    const w = check(o, "what-if");
    expect(w.status).toBe("skipped");
    expect(`${w.summary} ${w.reason ?? ""}`).toMatch(text);
    expect(o.report.status).toBe("compliant");
    expect(o.late).toBeUndefined();
  });
});
