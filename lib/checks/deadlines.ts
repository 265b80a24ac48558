/** Dates the deadline checks share: the warning windows (with their defaults) and day arithmetic. */
import type { TenantFacts, WarnDays } from "../model/facts.js";

export const DAY_MS = 86_400_000;

/** PASSWORD_EXPIRY_WARN_DAYS, MANAGED_POLICY_WARN_DAYS and ROLE_END_WARN_DAYS default to 14 when the facts do not carry them. */
const DEFAULT_WARN_DAYS: Required<WarnDays> = { passwordExpiry: 14, managedPolicy: 14, roleEnd: 14 };

export function warnDaysOf(facts: TenantFacts): Required<WarnDays> {
  return { ...DEFAULT_WARN_DAYS, ...facts.warnDays };
}

/** `2026-03-01` from an instant: the day a person reads (UTC). */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole days from `now` to `then`, rounded up (a deadline 1 hour away is "1 day"). */
export function daysUntil(then: number, now: number): number {
  return Math.ceil((then - now) / DAY_MS);
}

/** `2026-03-01 14:30 UTC` from an instant: a day and a time, for deadlines hours apart (a PIM activation). */
export function dayAndTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
