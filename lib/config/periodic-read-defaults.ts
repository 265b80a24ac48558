/**
 * How often a check reads, on top of its one sign-in request, the two things the report budget
 * (122 requests per 10 s for the app across all tenants) pays for and that rarely change: the MFA
 * registration report and the account's sign-in contexts. Each tenant reads them once per period,
 * at its own offset in it (lib/graph/facts/due.ts).
 *
 * Once a day each: at a 30-minute schedule a check then averages 1 + 2/48 = 1.04 report
 * requests, inside the 1.05 target; at 6 h it would be 1 + 2/12 = 1.17, about 17 minutes of the app's
 * budget per run at 10,000 tenants. A day costs no drift that matters, because both reads are also
 * made as soon as their subject can have changed: the registration report when the account's
 * methods list (read every run, not on the report budget) changes, the contexts when a sign-in
 * failure newer than the last read appears. What a day can delay is learning a new context that
 * signs in without failing. Operators who want that sooner set the hours lower (docs/scale.md).
 */
export const PERIODIC_READ_DEFAULTS = {
  registrationReportHours: 24,
  signInContextHours: 24,
  /** Contexts not seen for this many days are dropped. */
  signInContextDays: 14,
} as const;
