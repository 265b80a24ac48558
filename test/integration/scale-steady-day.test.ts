/**
 * The steady-state target, over the period it is about: a day of half-hourly runs at the
 * DEFAULT settings (read through the real settings loader, not chosen here) draws at most 1.05
 * requests a check from the app-wide report budget. The sign-in failures are one request every run;
 * the registration report and the sign-in contexts once per period each (24 h by default, each
 * tenant at its own offset): 48 + 2 requests over 48 runs = 1.04. A 6-hour period would
 * draw 48 + 8, 1.17, which this test refuses.
 */
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../lib/config/settings.js";
import { runTenantCheck } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { registeredIn, runnerDeps, useSimulatorAndStore } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Day", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

/** The report budget's endpoints (lib/graph/pacing.ts "reports"): sign-ins (failures and contexts) and the registration report. */
const REPORT_ENDPOINTS = ["signIns", "registrationDetails"] as const;

describe("a steady day at the default settings", () => {
  it("draws at most 1.05 report-budget requests a check", async () => {
    const defaults = loadSettings({ GRAPH_ACCESS_TOKEN: "t" });
    const tenant = await registeredIn(store, "Woodgrove");
    const deps = runnerDeps(sim, store, clock);
    const settings = {
      ...deps.settings,
      registrationReportHours: defaults.registrationReportHours,
      signInContextHours: defaults.signInContext?.hours,
      signInContextDays: defaults.signInContext?.days,
    };
    const check = async (): Promise<{ reports: number; registration: number }> => {
      sim.state.resetCounters();
      const outcome = await runTenantCheck(tenant, { ...deps, settings });
      expect(outcome.report.checks.some((c) => c.status === "unknown")).toBe(false);
      const counted = sim.state.counters.byEndpoint;
      return { reports: REPORT_ENDPOINTS.reduce((n, e) => n + (counted[e] ?? 0), 0), registration: counted.registrationDetails ?? 0 };
    };

    await check(); // the first run reads everything
    let reports = 0;
    let registration = 0;
    const runs = 48;
    for (let i = 0; i < runs; i += 1) {
      clock.advanceHours(0.5);
      const r = await check();
      reports += r.reports;
      registration += r.registration;
    }
    // Once a day each, however the tenant's offset falls: one registration report, one contexts read.
    expect(registration).toBe(1);
    expect(reports).toBe(runs + 2);
    expect(reports / runs).toBeLessThanOrEqual(1.05);
  });
});
