/**
 * A late run: Graph throttled the check (429 through every retry) or no budget was to be had in
 * time. That is not "could not verify": the tenant is fine as far as anyone knows, its check only
 * comes later. So a late run records no verdict — the last report stands, no finding changes (the
 * findings' state machine's `late` rows) and the unknown streak behind "monitoring degraded" does
 * not grow — only that it is late and why.
 * If it stays late for `notCheckedAfterMs` (two schedule periods) since its last recorded check,
 * that is itself worth telling, once per late stretch: "not checked since …". Pure.
 */
import type { TenantState, Transition } from "../model/state.js";
import { lateFindings } from "./findings.js";

interface LateOptions {
  readonly now: Date;
  /** Why the run is late, for people (no upstream error body: the caller redacts). */
  readonly reason: string;
  /** Two schedule periods; absent: "not checked since" is never sent (direct runner calls, tests). */
  readonly notCheckedAfterMs?: number;
}

interface LateResult {
  readonly nextState: TenantState;
  readonly transitions: Transition[];
}

export function late(previous: TenantState, options: LateOptions): LateResult {
  const now = options.now.toISOString();
  const lateSince = previous.lateSince ?? now;
  const lastCheckedAt = previous.lastReport.checkedAt;
  const overdue =
    options.notCheckedAfterMs !== undefined && !previous.notCheckedAlertedAt && options.now.getTime() - Date.parse(lastCheckedAt) >= options.notCheckedAfterMs;
  const findings = lateFindings(previous.findings, options.now);
  const transitions: Transition[] = [
    ...(overdue ? [{ kind: "not-checked" as const, key: `not-checked|${lastCheckedAt}`, lastCheckedAt, lateSince, reason: options.reason }] : []),
    ...findings.transitions,
  ];
  return {
    nextState: {
      ...previous,
      findings: findings.next,
      version: previous.version + 1,
      updatedAt: now,
      lateSince,
      lateReason: options.reason,
      notCheckedAlertedAt: overdue ? now : (previous.notCheckedAlertedAt ?? null),
    },
    transitions,
  };
}
