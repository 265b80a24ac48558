/**
 * The registration report is read on the first run, then carried over (no report request, same
 * facts digest, same verdict, no snapshot) until the account's methods change, when it is read
 * in one more round trip; and again once its REGISTRATION_REPORT_HOURS period turns.
 */
import { describe, expect, it } from "vitest";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { accountIdOf, registered, registeredIn, runnerDeps, useSimulatorAndStore } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Rep", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

async function run(): Promise<{ outcome: RunOutcome; reports: number; signIns: number }> {
  const tenant = await registeredIn(store, "Woodgrove");
  sim.state.resetCounters();
  const deps = runnerDeps(sim, store, clock);
  // The sign-in contexts come due once a week here, at the tenant's offset: this test counts the registration report's reads.
  const settings = { ...deps.settings, registrationReportHours: 6, signInContextHours: 168 };
  const outcome = await runTenantCheck(tenant, { ...deps, settings });
  const counted = sim.state.counters.byEndpoint;
  return { outcome, reports: counted.registrationDetails ?? 0, signIns: counted.signIns ?? 0 };
}

const mfa = (o: RunOutcome) => o.report.checks.find((c) => c.id === "mfa-registration");

describe("registration report policy, end to end", () => {
  it("reads, carries, reads again when the methods change, and once per period", async () => {
    const first = await run();
    expect(first.reports).toBe(1);
    // Both event types in one failure request, plus the sign-in contexts (due on the first
    // run and every SIGNIN_CONTEXT_HOURS): 3 report requests on the first run.
    expect(first.signIns).toBe(2);

    clock.advanceHours(0.25);
    const carried = await run();
    expect(carried.reports).toBe(0);
    // The steady state draws ONE request from the report budgets: the sign-ins (was two lists, two).
    expect(carried.reports + carried.signIns).toBe(1);
    expect(carried.outcome.roundTrips).toBe(3); // v1.0 batch, the second page of 35 CA policies, beta batch
    expect(carried.outcome.snapshot).toBeUndefined(); // same facts digest: nothing new to keep
    expect(mfa(carried.outcome)).toEqual(mfa(first.outcome)); // evidence included

    const woodgrove = sim.state.tenant(first.outcome.tenantId);
    woodgrove.authenticationMethods[accountIdOf(sim, registered("Woodgrove"))] = [
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
      { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", id: "a1", displayName: "Pixel 8" },
    ];
    clock.advanceHours(0.25);
    const changed = await run();
    expect(changed.reports).toBe(1);
    expect(changed.outcome.roundTrips).toBe(carried.outcome.roundTrips + 1);
    expect(mfa(changed.outcome)?.status).toBe("warn");
    expect(mfa(changed.outcome)?.evidence?.some((e) => e.startsWith("registration report:"))).toBe(true);

    // A day of half-hourly runs from here: the report is read once per 6-hour period.
    let reads = 0;
    for (let i = 0; i < 12; i += 1) {
      clock.advanceHours(0.5);
      reads += (await run()).reports;
    }
    expect(reads).toBe(1);
  });
});
