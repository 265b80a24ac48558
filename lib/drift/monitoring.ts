/**
 * Monitoring health: "monitoring degraded" once the tenant's status has been `unknown` for
 * `unknownAlertAfter` schedule periods in a row, sent once per streak; "monitoring restored" on the
 * first run after that which is not `unknown` (its own transition rather than a "resolved": no
 * finding was resolved, and the email can say the checks work again). Pure.
 *
 * The streak counts periods, not runs: an unknown run adds to it once per period, so a message the
 * host delivers again (a retry, an at-least-once repeat) cannot raise it early.
 */
import type { Report } from "../model/report.js";
import type { TenantState, Transition } from "../model/state.js";

type MonitoringHealth = Pick<TenantState, "consecutiveUnknown" | "unknownSince" | "unknownPeriod" | "degradedAlertedAt">;

/**
 * `period`: the schedule period the run belongs to; `null` for a check now (it starts a streak but
 * does not lengthen one); absent: every run is a period of its own.
 */
export function monitoringHealth(
  previous: TenantState | undefined,
  report: Report,
  options: { readonly now: string; readonly unknownAlertAfter: number; readonly period?: string | null },
): { health: MonitoringHealth; transitions: Transition[] } {
  const { now, period } = options;
  const transitions: Transition[] = [];
  let degradedAlertedAt = previous?.degradedAlertedAt ?? null;
  if (report.status === "unknown") {
    const streak = previous?.consecutiveUnknown ?? 0;
    const samePeriod = streak > 0 && period !== undefined && (period === null || period === previous?.unknownPeriod);
    const consecutiveUnknown = samePeriod ? streak : streak + 1;
    const unknownPeriod = samePeriod ? (previous?.unknownPeriod ?? null) : (period ?? null);
    const unknownSince = previous?.unknownSince ?? now;
    if (consecutiveUnknown >= options.unknownAlertAfter && degradedAlertedAt === null) {
      transitions.push({
        kind: "monitoring-degraded",
        key: `monitoring-degraded|${unknownSince}`,
        unknownRuns: consecutiveUnknown,
        since: unknownSince,
        reasons: report.checks.filter((c) => c.status === "unknown").map((c) => ({ checkId: c.id, reason: c.reason ?? c.summary })),
      });
      degradedAlertedAt = now;
    }
    return { health: { consecutiveUnknown, unknownSince, ...(unknownPeriod !== null ? { unknownPeriod } : {}), degradedAlertedAt }, transitions };
  }
  if (degradedAlertedAt !== null) {
    const degradedSince = previous?.unknownSince ?? degradedAlertedAt;
    transitions.push({ kind: "monitoring-restored", key: `monitoring-restored|${degradedSince}`, degradedSince, status: report.status });
  }
  return { health: { consecutiveUnknown: 0, unknownSince: null, degradedAlertedAt: null }, transitions };
}
