/**
 * An open finding that fails for something else (its summary, cause, controls, evidence) without
 * being a new finding: one `finding-changed` (a ticket note and a lifecycle `updated`, never an
 * email) within the reminder period, the reminder after it; an acknowledged finding whose cause
 * changes still re-alerts by a reminder; a row kept before fingerprints is no change.
 */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import { causeOf } from "../../../lib/drift/standing.js";
import { tenantStateSchema, type TenantState } from "../../../lib/model/state.js";
import { at, play, report, TENANT, type Step } from "./diff-helpers.js";

const SD = "security-defaults|";
const CA = "conditional-access|p1";
const fail = { "security-defaults": "fail" } as const;
const other = { "security-defaults": "Security Defaults are enabled and now enforced" } as const;

const ack = {
  schemaVersion: 1 as const,
  tenantId: TENANT,
  findingKey: SD,
  reason: "on it",
  by: "ann@msp.example",
  at: at(1).toISOString(),
  until: at(100).toISOString(),
  cause: causeOf({ subject: "", summary: "security-defaults is fail", reason: null }),
  episode: at(0).toISOString(),
};

describe("a finding that changes while open", () => {
  it.each<[string, Step[]]>([
    [
      "its summary changes within the period: one change, then quiet, then the reminder when the period ends",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 2, checks: fail, summaries: other, expect: [`finding-changed:${SD}`] },
        { hours: 3, checks: fail, summaries: other, expect: [] },
        { hours: 24, checks: fail, summaries: other, expect: [`reminder:${SD}`] },
      ],
    ],
    [
      "only its numbers move (a count, a date): no change",
      [
        { hours: 0, checks: fail, summaries: { "security-defaults": "3 sign-ins failed in the last 24 hours" }, expect: [`drift-detected:${SD}`] },
        { hours: 2, checks: fail, summaries: { "security-defaults": "5 sign-ins failed in the last 24 hours" }, expect: [] },
        {
          hours: 3,
          checks: fail,
          summaries: { "security-defaults": "5 sign-ins failed in the last 24 hours: Conditional Access" },
          expect: [`finding-changed:${SD}`],
        },
      ],
    ],
    [
      "the same failure run after run is no change",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 2, checks: fail, expect: [] },
        { hours: 24, checks: fail, expect: [`reminder:${SD}`] },
      ],
    ],
    [
      "a change at the end of the period is told by the reminder alone",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 25, checks: fail, summaries: other, expect: [`reminder:${SD}`] },
      ],
    ],
    [
      "a change back is a change too",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 2, checks: fail, summaries: other, expect: [`finding-changed:${SD}`] },
        { hours: 4, checks: fail, expect: [`finding-changed:${SD}`] },
      ],
    ],
    [
      "a blocking policy's grant controls change: a change of that policy's finding",
      [
        { hours: 0, blocking: ["p1"], controls: { p1: ["mfa"] }, expect: [`drift-detected:${CA}`] },
        { hours: 2, blocking: ["p1"], controls: { p1: ["mfa", "compliantDevice"] }, expect: [`finding-changed:${CA}`] },
      ],
    ],
    [
      "a second policy that starts blocking is its own finding, not a change of the first",
      [
        { hours: 0, blocking: ["p1"], expect: [`drift-detected:${CA}`] },
        { hours: 2, blocking: ["p1", "p2"], expect: ["drift-detected:conditional-access|p2"] },
      ],
    ],
    [
      "an acknowledged finding whose cause changes re-alerts by a reminder, as before",
      [
        { hours: 0, checks: fail, expect: [`drift-detected:${SD}`] },
        { hours: 2, checks: fail, standings: { acks: [ack], exceptions: [] }, expect: [] },
        { hours: 3, checks: fail, summaries: other, standings: { acks: [ack], exceptions: [] }, expect: [`reminder:${SD}`] },
      ],
    ],
  ])("%s", (_name, steps) => {
    const { states, transitions } = play(steps);
    // A change is not mailed, so it leaves the finding's last email, and with it the reminder period, where it was.
    const lastAlertedAt = (state: TenantState | undefined, key: string) => state?.findings.find((f) => f.key === key)?.lastAlertedAt;
    transitions.forEach((run, i) => {
      for (const t of run) if (t.kind === "finding-changed") expect(lastAlertedAt(states[i], t.finding.key)).toBe(lastAlertedAt(states[i - 1], t.finding.key));
    });
  });

  it("a finding kept before fingerprints were: its first failing run records one and calls nothing a change", () => {
    const first = diff(undefined, report({ hours: 0, checks: fail, expect: [] }), { now: at(0), reminderHours: 24, unknownAlertAfter: 3 }).nextState;
    const old = { ...first, findings: first.findings.map(({ fingerprint: _dropped, ...f }) => f) };
    const next = diff(old, report({ hours: 2, checks: fail, summaries: other, expect: [] }), { now: at(2), reminderHours: 24, unknownAlertAfter: 3 });
    expect(next.transitions).toEqual([]);
    const stored = tenantStateSchema.parse(JSON.parse(JSON.stringify(next.nextState))).findings[0];
    expect(stored?.fingerprint).toMatch(/^[0-9a-f]{24}$/);
    expect(stored?.lastAlertedAt).toBe(at(0).toISOString());
    const after = diff(next.nextState, report({ hours: 3, checks: fail, expect: [] }), { now: at(3), reminderHours: 24, unknownAlertAfter: 3 });
    expect(after.transitions.map((t) => t.kind)).toEqual(["finding-changed"]);
    expect(after.transitions[0]).toMatchObject({ key: `finding-changed|${SD}|${at(3).toISOString()}`, finding: { summary: "security-defaults is fail" } });
  });
});
