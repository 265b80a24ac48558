/** A late run records no verdict; two schedule periods without one send "not checked since", once per late stretch. */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import { late } from "../../../lib/drift/late.js";
import { CHECK_IDS } from "../../../lib/checks/registry.js";
import type { Report } from "../../../lib/model/report.js";
import type { TenantState } from "../../../lib/model/state.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const HOUR = 3_600_000;

function checked(minutes: number): TenantState {
  const report: Report = {
    schemaVersion: 1,
    tenantId: "11111111-1111-1111-1111-111111111111",
    checkedAt: at(minutes).toISOString(),
    profile: "strict",
    account: { id: "a", userPrincipalName: "svc@contoso.com" },
    status: "compliant",
    warnings: 0,
    checks: CHECK_IDS.map((id) => ({ id, status: "pass" as const, summary: `${id} passes` })),
  };
  return diff(undefined, report, { now: at(minutes), reminderHours: 24, unknownAlertAfter: 3 }).nextState;
}

/** Late runs at these minutes after a check at 0; returns each run's transitions and the last state. */
function lateRuns(minutes: readonly number[], notCheckedAfterMs?: number): { kinds: string[][]; state: TenantState } {
  let state = checked(0);
  const kinds: string[][] = [];
  for (const m of minutes) {
    const r = late(state, { now: at(m), reason: "Graph still throttled the policies (429)", ...(notCheckedAfterMs ? { notCheckedAfterMs } : {}) });
    kinds.push(r.transitions.map((t) => t.kind));
    state = r.nextState;
  }
  return { kinds, state };
}

describe("late", () => {
  it.each([
    { name: "within two periods: nothing", minutes: [30, 59], after: HOUR, kinds: [[], []] },
    { name: "at two periods: once", minutes: [30, 60, 90, 120], after: HOUR, kinds: [[], ["not-checked"], [], []] },
    { name: "already overdue at the first late run", minutes: [180, 210], after: HOUR, kinds: [["not-checked"], []] },
    { name: "no period known: never", minutes: [30, 600], after: undefined, kinds: [[], []] },
  ])("$name", ({ minutes, after, kinds }) => {
    expect(lateRuns(minutes, after).kinds).toEqual(kinds);
  });

  it("keeps the verdict, the findings and the unknown streak; marks since when and why", () => {
    const before = checked(0);
    const { state } = lateRuns([30, 60], HOUR);
    expect(state.lastReport).toEqual(before.lastReport);
    expect(state.findings).toEqual(before.findings);
    expect(state.consecutiveUnknown).toBe(0);
    expect(state.version).toBe(before.version + 2);
    expect([state.lateSince, state.lateReason, state.notCheckedAlertedAt]).toEqual([
      at(30).toISOString(),
      "Graph still throttled the policies (429)",
      at(60).toISOString(),
    ]);
  });

  it("the next recorded run clears the late marks, so a later stretch alerts again", () => {
    const { state } = lateRuns([30, 60], HOUR);
    const next = diff(state, { ...state.lastReport, checkedAt: at(90).toISOString() }, { now: at(90), reminderHours: 24, unknownAlertAfter: 3 }).nextState;
    expect([next.lateSince, next.lateReason, next.notCheckedAlertedAt]).toEqual([undefined, undefined, undefined]);
    expect(late(next, { now: at(210), reason: "throttled", notCheckedAfterMs: HOUR }).transitions.map((t) => t.kind)).toEqual(["not-checked"]);
  });
});
