/** diff: a check renamed or removed in this version closes its tracked findings once, and says so only if they were last heard failing. */
import { describe, expect, it } from "vitest";
import { transitionSchema } from "../../../lib/model/state.js";
import type { Step } from "./diff-helpers.js";
import { play } from "./diff-helpers.js";

const SD = "security-defaults|";
const sd = { "security-defaults": "fail" } as const;
const gone = ["security-defaults"] as const;

describe("diff: retired checks", () => {
  it.each<[string, Step[]]>([
    [
      "a failing finding whose check is gone is closed once, and forgotten",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, retired: gone, expect: [`check-retired:${SD}`] },
        { hours: 2, retired: gone, expect: [] },
        { hours: 30, retired: gone, expect: [] },
      ],
    ],
    [
      "a reminded finding too",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 24, checks: sd, expect: [`reminder:${SD}`] },
        { hours: 25, retired: gone, expect: [`check-retired:${SD}`] },
      ],
    ],
    [
      "a passing finding whose resolved email is held back: the recipients last heard it failing, so they hear it closed",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, expect: [`resolved:${SD}`] },
        { hours: 2, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 3, expect: [] },
        { hours: 4, retired: gone, expect: [`check-retired:${SD}`] },
        { hours: 27, retired: gone, expect: [] },
      ],
    ],
    [
      "a resolved finding (the recipients heard it fixed) is forgotten without a word",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, expect: [`resolved:${SD}`] },
        { hours: 2, retired: gone, expect: [] },
      ],
    ],
    [
      "a finding held while its check cannot be judged is closed too",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        { hours: 1, checks: { "security-defaults": "unknown" }, expect: [] },
        { hours: 2, retired: gone, expect: [`check-retired:${SD}`] },
      ],
    ],
    [
      "never counted as unknown: no monitoring degraded however long the check is gone",
      [
        { hours: 0, checks: sd, expect: [`drift-detected:${SD}`] },
        ...[1, 2, 3, 4, 5].map((hours): Step => ({ hours, retired: gone, expect: hours === 1 ? [`check-retired:${SD}`] : [] })),
      ],
    ],
    [
      "other findings go on as before beside it",
      [
        { hours: 0, checks: { ...sd, "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|", `drift-detected:${SD}`] },
        { hours: 1, retired: gone, expect: [`check-retired:${SD}`, "resolved:per-user-mfa|"] },
      ],
    ],
  ])("%s", (_name, steps) => {
    const { states } = play(steps);
    const last = states.at(-1);
    expect(last?.findings.some((f) => f.key === SD)).toBe(false);
    // A check that is gone is not one that could not be judged: the unknown streak does not grow.
    const judged = states.filter((s) => !s.lastReport.checks.some((c) => c.status === "unknown"));
    expect(judged.map((s) => s.consecutiveUnknown)).toEqual(judged.map(() => 0));
  });

  it("says which finding and why, in the stored shape", () => {
    const { transitions } = play([
      { hours: 0, blocking: ["p1"], expect: ["drift-detected:conditional-access|p1"] },
      { hours: 1, retired: ["conditional-access"], expect: ["check-retired:conditional-access|p1"] },
    ]);
    const retired = transitionSchema.parse(JSON.parse(JSON.stringify(transitions[1]?.[0])));
    expect(retired).toEqual({
      kind: "check-retired",
      key: "check-retired|conditional-access|p1",
      reason: "check retired in this version",
      finding: {
        key: "conditional-access|p1",
        checkId: "conditional-access",
        subject: "p1",
        subjectName: "Policy p1",
        summary: "conditional-access is fail",
        reason: null,
        remediation: null,
        evidence: [],
        since: "2026-01-01T00:00:00.000Z",
      },
    });
  });
});
