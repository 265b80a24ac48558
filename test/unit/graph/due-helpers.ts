/** Builders for the facts' `due` tests: a previous run, this run, and facts as read. */
import type { DueRun, PreviousReads, PreviousRun, ReadSoFar } from "../../../lib/graph/facts/due.js";
import type { ObservedState } from "../../../lib/model/observed.js";

export const NOW = new Date("2026-01-02T12:00:00Z");
export const hoursAgo = (h: number, from = NOW) => new Date(from.getTime() - h * 3_600_000).toISOString();
export const tenant = (i: number) => `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
export const PERIODS = { registrationReportHours: 6, signInContextHours: 6, signInContextDays: 14 };
export const password = { id: "p", type: "passwordAuthenticationMethod", label: null };

export function run(read: ReadSoFar = {}, now = NOW): DueRun {
  return { now, periods: PERIODS, read };
}

export function observed(over: Partial<ObservedState> = {}): ObservedState {
  return { contextsReadAt: hoursAgo(1), contextsUnlicensed: null, contexts: [], locationsReadAt: hoursAgo(1), locations: [], whatIf: null, ...over };
}

export function previous(reads: PreviousReads, over: Partial<PreviousRun> = {}): PreviousRun {
  return { tenantId: tenant(0), at: hoursAgo(0.5), methods: [password], observed: observed(), reads, ...over };
}
