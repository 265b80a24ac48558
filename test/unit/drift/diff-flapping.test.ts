/** diff: a finding that breaks, is fixed and breaks again (flapping). */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import type { TenantState } from "../../../lib/model/state.js";
import { tenantStateSchema } from "../../../lib/model/state.js";
import type { Step } from "./diff-helpers.js";
import { at, play, report } from "./diff-helpers.js";

describe("diff: flapping", () => {
  const SD = "security-defaults|";
  const sd = { "security-defaults": "fail" } as const;
  it("a re-break says when the recipients were told it was fixed; a first break does not", () => {
    const { transitions } = play([
      { hours: 8, checks: sd, expect: [`drift-detected:${SD}`] },
      { hours: 9, expect: [`resolved:${SD}`] },
      { hours: 10, checks: sd, expect: [`drift-detected:${SD}`] },
    ]);
    const first = transitions[0]?.[0];
    const again = transitions[2]?.[0];
    expect(first?.kind === "drift-detected" && first.previouslyResolvedAt).toBe(undefined);
    expect(again?.kind === "drift-detected" && again.previouslyResolvedAt).toBe(at(9).toISOString());
  });
  it.each<[string, Step[]]>([
    [
      "a re-break after the resolved email is a fresh drift-detected, not a day of silence",
      [
        // 08:00 drift, 09:00 fixed, 10:00 broken again: people were told it is fixed, so they hear it at once.
        { hours: 8, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 9, expect: [`resolved:${SD}`] },
        { hours: 10, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 11, checks: sd, expect: [] },
        { hours: 34, checks: sd, expect: [`reminder:${SD}`] },
      ],
    ],
    [
      "a second flap in the period re-opens quietly; the reminder after the last email counts it",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, expect: [`resolved:${SD}`] },
        { hours: 2, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 3, expect: [] }, // resolved held back: the period already had its resolved
        { hours: 4, checks: sd, expect: [] }, // still what people were last told: failing
        { hours: 5, expect: [] },
        { hours: 6, checks: sd, expect: [] },
        { hours: 25.9, checks: sd, expect: [] },
        { hours: 26, checks: sd, expect: [`reminder:${SD}`] }, // 24 h after the last email (+2 h)
      ],
    ],
    [
      "a held-back resolved goes out when the period ends, and a re-break after it is heard again",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, expect: [`resolved:${SD}`] },
        { hours: 2, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 3, expect: [] },
        { hours: 25.9, expect: [] },
        { hours: 26, expect: [`resolved:${SD}`] },
        { hours: 27, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 28, expect: [] },
        { hours: 51, expect: [`resolved:${SD}`] },
        { hours: 76, expect: [] },
        { hours: 77, checks: sd, expect: [`drift-detected:${SD}`] }, // a new episode
        { hours: 78, expect: [`resolved:${SD}`] },
      ],
    ],
    [
      "a held-back resolved that is unknown at the end of the period waits for a verdict",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, expect: [`resolved:${SD}`] },
        { hours: 2, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 3, expect: [] },
        { hours: 26, checks: { "security-defaults": "unknown" }, expect: [] },
        { hours: 27, checks: sd, expect: [`reminder:${SD}`] }, // failing again, and the reminder is due
      ],
    ],
    [
      "a re-break after a reminder is heard only once the reminder's period allows",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 24, checks: sd, expect: [`reminder:${SD}`] },
        { hours: 25, expect: [`resolved:${SD}`] },
        { hours: 26, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 27, expect: [] },
      ],
    ],
    [
      "failing again after a full reminder period is a new drift-detected",
      [
        { hours: 0, checks: { "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|"] },
        { hours: 1, expect: ["resolved:per-user-mfa|"] },
        { hours: 10, expect: [] },
        { hours: 25, expect: [] }, // the resolved record expires here
        { hours: 30, checks: { "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|"] },
        { hours: 31, expect: ["resolved:per-user-mfa|"] },
      ],
    ],
  ])("%s", (_name, steps) => {
    play(steps);
  });

  it("the re-break's email and the reminder that counts the flaps say since when and what was last sent", () => {
    const { transitions, states } = play([
      { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
      { hours: 1, expect: [`resolved:${SD}`] },
      { hours: 2, checks: sd, expect: [`drift-detected:${SD}`] },
      { hours: 3, expect: [] },
      { hours: 4, checks: sd, expect: [] },
      { hours: 5, expect: [] },
      { hours: 6, checks: sd, expect: [] },
      { hours: 26, checks: sd, expect: [`reminder:${SD}`] },
    ]);
    expect(transitions[2]?.[0]).toMatchObject({ kind: "drift-detected", finding: { since: at(2).toISOString() } });
    expect(transitions[7]?.[0]).toMatchObject({ kind: "reminder", flaps: 2, lastAlertedAt: at(2).toISOString(), finding: { since: at(2).toISOString() } });
    expect(states[7]?.findings[0]).toMatchObject({ status: "open", flaps: 0, lastHeard: "failing" });
  });

  it("a held-back resolved says when it was actually fixed", () => {
    const { transitions } = play([
      { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
      { hours: 1, expect: [`resolved:${SD}`] },
      { hours: 2, checks: sd, expect: [`drift-detected:${SD}`] },
      { hours: 3, expect: [] },
      { hours: 26, expect: [`resolved:${SD}`] },
    ]);
    expect(transitions[4]?.[0]).toMatchObject({ kind: "resolved", resolvedAt: at(3).toISOString() });
  });

  it.each([1, 0.25, 3])("a storm flapping every %s h costs at most two drift-detected and one resolved per reminder period", (every) => {
    let state: TenantState | undefined;
    const sent: { hours: number; kind: string }[] = [];
    for (let i = 0; i * every <= 96; i++) {
      const hours = i * every;
      const result = diff(state, report({ hours, checks: i % 2 === 0 ? { "per-user-mfa": "fail" } : {}, expect: [] }), {
        now: at(hours),
        reminderHours: 24,
        unknownAlertAfter: 3,
      });
      for (const t of result.transitions) sent.push({ hours, kind: t.kind });
      state = tenantStateSchema.parse(JSON.parse(JSON.stringify(result.nextState)));
    }
    expect(sent.slice(0, 3).map((s) => s.kind)).toEqual(["drift-detected", "resolved", "drift-detected"]);
    for (const first of sent) {
      const window = sent.filter((s) => s.hours >= first.hours && s.hours < first.hours + 24);
      expect(window.filter((s) => s.kind === "drift-detected").length, `from +${first.hours}h`).toBeLessThanOrEqual(2);
      expect(window.filter((s) => s.kind === "resolved").length, `from +${first.hours}h`).toBeLessThanOrEqual(1);
      expect(window.length, `from +${first.hours}h`).toBeLessThanOrEqual(3);
    }
    // Once it settles as fixed, the last email about it says so, within a period.
    for (let h = 97; h <= 97 + 26; h++) {
      const result = diff(state, report({ hours: h, expect: [] }), { now: at(h), reminderHours: 24, unknownAlertAfter: 3 });
      for (const t of result.transitions) sent.push({ hours: h, kind: t.kind });
      state = tenantStateSchema.parse(JSON.parse(JSON.stringify(result.nextState)));
    }
    expect(sent.at(-1)?.kind).toBe("resolved");
  });

  it("a state written before the rule changed (quiet re-opening after a resolved) still resolves silently", () => {
    const { states } = play([
      { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
      { hours: 1, expect: [`resolved:${SD}`] },
    ]);
    const before = states[1];
    if (!before) throw new Error("no state");
    // What the old rule stored after a quiet re-opening at +2 h: open, last heard resolved, no reopenedAt.
    const old = tenantStateSchema.parse({
      ...before,
      findings: before.findings.map(({ reopenedAt: _omit, ...f }) => ({ ...f, status: "open", resolvedAt: null, lastFailedAt: at(2).toISOString(), flaps: 1 })),
    });
    const quiet = diff(old, report({ hours: 3, expect: [] }), { now: at(3), reminderHours: 24, unknownAlertAfter: 3 });
    expect(quiet.transitions).toEqual([]);
    const failing = diff(old, report({ hours: 25, checks: sd, expect: [] }), { now: at(25), reminderHours: 24, unknownAlertAfter: 3 });
    expect(failing.transitions).toMatchObject([{ kind: "reminder", flaps: 1 }]);
  });
});
