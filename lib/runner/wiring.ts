/**
 * The production wiring of a run, for the Functions app and the CLI: real Graph client and
 * collector, the rules, the wall clock, and the settings mapped to what the runner reads. Tests
 * build their own deps instead (see test/integration/runner-helpers.ts).
 */
import { evaluate, getProfile } from "../checks/index.js";
import type { Settings, StoreSettings } from "../config/settings.js";
import { collectFacts, createGraphClient } from "../graph/index.js";
import { sharedGraphPacer } from "../graph/pacing.js";
import type { InspectDeps } from "./inspect.js";
import type { RunnerDeps, RunnerSettings, RunnerStore } from "./types.js";

function runnerSettings(settings: Pick<Settings, "signInLookbackHours" | "graphEndpoint" | "registrationReportHours">, store: StoreSettings): RunnerSettings {
  return {
    reminderHours: store.reminderHours,
    unknownAlertAfter: store.unknownAlertAfter,
    snapshotRetentionDays: store.snapshotRetentionDays,
    notCheckedAfterMs: 2 * store.schedulePeriodMs,
    signInLookbackHours: settings.signInLookbackHours,
    graphEndpoint: settings.graphEndpoint,
    ...(settings.registrationReportHours !== undefined ? { registrationReportHours: settings.registrationReportHours } : {}),
  };
}

export function defaultRunnerDeps(settings: Settings, storeSettings: StoreSettings, store: RunnerStore): RunnerDeps {
  return {
    store,
    graphClient: (tenant) => createGraphClient({ tenantId: tenant.tenantId, settings }),
    collect: collectFacts,
    evaluate,
    getProfile,
    now: () => new Date(),
    settings: runnerSettings(settings, storeSettings),
    // One pacer per process: every check here shares the tenants' and the app's Graph budgets.
    collectOptions: { pacer: sharedGraphPacer() },
  };
}

/** The production collaborators of `inspect` alone (the CLI's `check`: nothing stored). */
export function defaultInspectDeps(settings: Settings, tenantId: string, now: Date): InspectDeps {
  return {
    client: createGraphClient({ tenantId, settings }),
    collect: collectFacts,
    evaluate,
    options: { now, signInLookbackHours: settings.signInLookbackHours, graphEndpoint: settings.graphEndpoint, pacer: sharedGraphPacer() },
  };
}
