/**
 * The production wiring of a run, for the Functions app and the CLI: real Graph client and
 * collector, the rules, the wall clock, and the settings mapped to what the runner reads. Tests
 * build their own deps instead (see test/integration/runner-helpers.ts).
 */
import { evaluate, getProfile } from "../checks/index.js";
import type { Settings, StoreSettings } from "../config/settings.js";
import { collectAccounts, collectFacts, createGraphClient } from "../graph/index.js";
import type { AppBudget } from "../budget/app-budget.js";
import { DayCache, DomainCache } from "../graph/domain-cache.js";
import type { CollectOptions } from "../graph/collect.js";
import type { AppPermissionsFact } from "../model/facts.js";
import { sharedGraphPacer, type GraphPacer } from "../graph/pacing.js";
import { errorMessage } from "../errors/text.js";
import type { InspectDeps } from "./inspect.js";
import type { RunnerDeps, RunnerSettings, RunnerStore } from "./types.js";
import type { StorageTime } from "../store/index.js";
import { DEFAULT_READ_PERIODS } from "../graph/collect-due.js";

function runnerSettings(
  settings: Pick<Settings, "signInLookbackHours" | "graphEndpoint" | "registrationReportHours" | "signInContext">,
  store: StoreSettings,
): RunnerSettings {
  return {
    reminderHours: store.reminderHours,
    unknownAlertAfter: store.unknownAlertAfter,
    snapshotRetentionDays: store.snapshotRetentionDays,
    notCheckedAfterMs: 2 * store.schedulePeriodMs,
    signInLookbackHours: settings.signInLookbackHours,
    graphEndpoint: settings.graphEndpoint,
    ...(settings.registrationReportHours !== undefined ? { registrationReportHours: settings.registrationReportHours } : {}),
    ...(settings.signInContext ? { signInContextHours: settings.signInContext.hours, signInContextDays: settings.signInContext.days } : {}),
  };
}

/**
 * How long a check waits for Graph budget before giving up with BudgetTimeoutError. An estate's
 * report requests at the ledger's ~9 per second take minutes, not hours; a check still waiting
 * after this is better told apart (late) than left to run into the Functions timeout.
 */
const MAX_BUDGET_WAIT_MS = 5 * 60_000;

/** Told at most once a minute: a storage outage would otherwise log once per claim attempt. */
function claimErrorLogger(): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    console.warn(`warning: the Graph budget ledger could not be claimed from; Graph report requests wait and retry: ${errorMessage(error)}`);
  };
}

/** The process's pacer: drawing on the shared ledger when there is one (storage configured), else on this process's window alone. */
export function productionPacer(appBudget: AppBudget | undefined): GraphPacer {
  if (!appBudget) return sharedGraphPacer();
  return sharedGraphPacer({ appBudget, maxWaitMs: MAX_BUDGET_WAIT_MS, onClaimError: claimErrorLogger() });
}

/** One per process: every run here shares the domain lists and the app's grants read in the last day. */
const PROCESS_DOMAIN_CACHE = new DomainCache();
const PROCESS_GRANTS_CACHE = new DayCache<AppPermissionsFact>();

/** The settings the collector reads: the warning days, and the app's client id (it reads its own grants). */
function warnDaysOf(settings: Pick<Settings, "warnDays" | "graphAuth">): Pick<CollectOptions, "warnDays" | "appId" | "grantsCache"> {
  const appId = settings.graphAuth.clientId;
  return { ...(settings.warnDays ? { warnDays: settings.warnDays } : {}), ...(appId ? { appId, grantsCache: PROCESS_GRANTS_CACHE } : {}) };
}

interface DefaultRunnerOptions {
  /** Told of every 429 Graph answers a tenant's check (telemetry). */
  readonly onGraphThrottled?: (tenantId: string, count: number) => void;
  /** The storage service's clock (Store.storageClock), so that runs on every host stamp their checks on one clock. */
  readonly clock?: StorageTime;
}

export function defaultRunnerDeps(settings: Settings, storeSettings: StoreSettings, store: RunnerStore, options: DefaultRunnerOptions = {}): RunnerDeps {
  const { onGraphThrottled, clock } = options;
  return {
    store,
    ...(clock ? { clock } : {}),
    graphClient: (tenant) =>
      createGraphClient({
        tenantId: tenant.tenantId,
        settings,
        ...(onGraphThrottled ? { onThrottled: (count: number) => onGraphThrottled(tenant.tenantId, count) } : {}),
      }),
    collectAccounts,
    evaluate,
    getProfile,
    now: () => new Date(),
    settings: runnerSettings(settings, storeSettings),
    // One pacer per process: every check here shares the tenants' budgets, and the app's with every process through the store's ledger.
    // The domain lists are kept a day in this process's memory (lib/graph/domain-cache.ts).
    collectOptions: { pacer: productionPacer(store.budget), domainCache: PROCESS_DOMAIN_CACHE, ...warnDaysOf(settings) },
  };
}

/** The production collaborators of `inspect` alone (the CLI's `check`: nothing stored). */
export function defaultInspectDeps(settings: Settings, tenantId: string, now: Date, appBudget?: AppBudget): InspectDeps {
  return {
    client: createGraphClient({ tenantId, settings }),
    collect: collectFacts,
    evaluate,
    options: {
      now,
      signInLookbackHours: settings.signInLookbackHours,
      graphEndpoint: settings.graphEndpoint,
      pacer: productionPacer(appBudget),
      domainCache: PROCESS_DOMAIN_CACHE,
      ...warnDaysOf(settings),
      periods: {
        signInContextHours: settings.signInContext?.hours ?? DEFAULT_READ_PERIODS.signInContextHours,
        signInContextDays: settings.signInContext?.days ?? DEFAULT_READ_PERIODS.signInContextDays,
      },
    },
  };
}
