/**
 * "Monitoring degraded" counts schedule periods, not runs: a message delivered again (a host
 * retry, an at-least-once repeat) or a check now within a period cannot raise it early.
 */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import { CHECK_IDS } from "../../../lib/checks/registry.js";
import type { Report } from "../../../lib/model/report.js";
import { tenantStateSchema, type TenantState } from "../../../lib/model/state.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");

function unknownReport(minutes: number): Report {
  return {
    schemaVersion: 1,
    tenantId: "11111111-1111-1111-1111-111111111111",
    checkedAt: new Date(T0 + minutes * 60_000).toISOString(),
    profile: "strict",
    account: { id: "a", userPrincipalName: "svc@contoso.com" },
    status: "unknown",
    warnings: 0,
    checks: CHECK_IDS.map((id) => ({ id, status: "unknown" as const, summary: "Could not be checked", reason: "consent revoked" })),
  };
}

/** Runs one unknown check per entry (its period: a string, null for a check now, undefined for none); returns streaks and alerts. */
function play(periods: readonly (string | null | undefined)[]): { streaks: number[]; degradedAt: number[] } {
  let state: TenantState | undefined;
  const streaks: number[] = [];
  const degradedAt: number[] = [];
  periods.forEach((period, i) => {
    const r = diff(state, unknownReport(i), {
      now: new Date(T0 + i * 60_000),
      reminderHours: 24,
      unknownAlertAfter: 3,
      ...(period !== undefined ? { period } : {}),
    });
    state = tenantStateSchema.parse(JSON.parse(JSON.stringify(r.nextState)));
    streaks.push(state.consecutiveUnknown);
    if (r.transitions.some((t) => t.kind === "monitoring-degraded")) degradedAt.push(i);
  });
  return { streaks, degradedAt };
}

describe("diff: the unknown streak counts schedule periods", () => {
  it.each([
    { name: "one run per period", periods: ["p1", "p2", "p3"], streaks: [1, 2, 3], degradedAt: [2] },
    { name: "each period's message delivered three times", periods: ["p1", "p1", "p1", "p2", "p2", "p3"], streaks: [1, 1, 1, 2, 2, 3], degradedAt: [5] },
    { name: "checks now in between start a streak but never lengthen one", periods: [null, null, "p1", null, "p2"], streaks: [1, 1, 2, 2, 3], degradedAt: [4] },
    { name: "no period given: every run counts (direct runner calls)", periods: [undefined, undefined, undefined], streaks: [1, 2, 3], degradedAt: [2] },
  ])("$name", ({ periods, streaks, degradedAt }) => {
    expect(play(periods)).toEqual({ streaks, degradedAt });
  });

  it("a state written before periods were kept still counts the next scheduled run", () => {
    const before = play(["p1", "p2"]);
    expect(before.streaks).toEqual([1, 2]);
    const legacy = {
      ...tenantStateSchema.parse(
        JSON.parse(JSON.stringify(diff(undefined, unknownReport(0), { now: new Date(T0), reminderHours: 24, unknownAlertAfter: 3 }).nextState)),
      ),
    };
    expect(legacy.unknownPeriod).toBeUndefined();
    const next = diff(legacy, unknownReport(1), { now: new Date(T0 + 60_000), reminderHours: 24, unknownAlertAfter: 3, period: "p9" });
    expect(next.nextState.consecutiveUnknown).toBe(2);
  });
});
