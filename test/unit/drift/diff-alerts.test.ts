/** diff: which transitions a run's report raises, skipped checks, and the bookkeeping of the state it returns. */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import type { Step } from "./diff-helpers.js";
import { APP, PWD, at, play, report } from "./diff-helpers.js";

describe("diff: alert transitions", () => {
  it.each<[string, Step[]]>([
    [
      "first run: a failing finding is drift-detected, passes are silent",
      [{ hours: 0, checks: { "security-defaults": "fail" }, expect: ["drift-detected:security-defaults|"] }],
    ],
    ["first run, all passing: nothing", [{ hours: 0, expect: [] }]],
    [
      "still failing: silent until the reminder period, then one reminder per period",
      [
        { hours: 0, checks: { "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|"] },
        { hours: 1, checks: { "per-user-mfa": "fail" }, expect: [] },
        { hours: 23.9, checks: { "per-user-mfa": "fail" }, expect: [] },
        { hours: 24, checks: { "per-user-mfa": "fail" }, expect: ["reminder:per-user-mfa|"] },
        { hours: 30, checks: { "per-user-mfa": "fail" }, expect: [] },
        { hours: 48, checks: { "per-user-mfa": "fail" }, expect: ["reminder:per-user-mfa|"] },
      ],
    ],
    [
      "fail then pass: resolved, once",
      [
        { hours: 0, checks: { account: "fail" }, expect: ["drift-detected:account|"] },
        { hours: 2, expect: ["resolved:account|"] },
        { hours: 3, expect: [] },
      ],
    ],
    [
      "fail then warn: resolved (warnings are counted, not mailed)",
      [
        { hours: 0, checks: { "mfa-registration": "fail" }, expect: ["drift-detected:mfa-registration|"] },
        { hours: 1, checks: { "mfa-registration": "warn" }, expect: ["resolved:mfa-registration|"] },
      ],
    ],
    [
      "fail then unknown: held — neither resolved nor reminded; reminded once confirmed again",
      [
        { hours: 0, checks: { "admin-role": "fail" }, expect: ["drift-detected:admin-role|"] },
        { hours: 1, checks: { "admin-role": "unknown" }, expect: [] },
        { hours: 25, checks: { "admin-role": "unknown" }, expect: [] },
        { hours: 26, checks: { "admin-role": "fail" }, expect: ["reminder:admin-role|"] },
        { hours: 27, expect: ["resolved:admin-role|"] },
      ],
    ],
    [
      "Conditional Access: one finding per blocking policy, resolved one by one",
      [
        { hours: 0, blocking: ["p1", "p2"], expect: ["drift-detected:conditional-access|p1", "drift-detected:conditional-access|p2"] },
        { hours: 1, blocking: ["p2"], expect: ["resolved:conditional-access|p1"] },
        { hours: 2, blocking: ["p2", "p3"], expect: ["drift-detected:conditional-access|p3"] },
        { hours: 3, expect: ["resolved:conditional-access|p2", "resolved:conditional-access|p3"] },
      ],
    ],
    [
      "several transitions in one run come together, in a stable order",
      [
        { hours: 0, checks: { account: "fail" }, methods: [PWD], expect: ["drift-detected:account|"] },
        { hours: 1, checks: { "per-user-mfa": "fail" }, methods: [PWD, APP], expect: ["drift-detected:per-user-mfa|", "resolved:account|", "security-notice"] },
      ],
    ],
  ])("%s", (_name, steps) => {
    play(steps);
  });
});

describe("diff: skipped checks", () => {
  const acc = { account: "fail", "per-user-mfa": "skipped", "admin-role": "skipped", "mfa-registration": "skipped", "sign-ins": "skipped" } as const;
  it.each<[string, Step[], number, string[]]>([
    [
      "licence lapsed: the finding is dropped without an email; a later failure is a new drift-detected",
      [
        { hours: 0, checks: { "sign-ins": "fail" }, expect: ["drift-detected:sign-ins|"] },
        { hours: 1, checks: { "sign-ins": "skipped" }, expect: [] },
        { hours: 25, checks: { "sign-ins": "skipped" }, expect: [] },
        { hours: 960, checks: { "sign-ins": "fail" }, expect: ["drift-detected:sign-ins|"] },
      ],
      1,
      [],
    ],
    [
      "turned off by the profile while the account is disabled: dropped too (the account exists)",
      [
        { hours: 0, checks: { "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|"] },
        { hours: 1, checks: { account: "fail", "per-user-mfa": "skipped" }, expect: ["drift-detected:account|"] },
        { hours: 2, checks: { account: "fail", "per-user-mfa": "skipped" }, expect: [] },
      ],
      2,
      ["open:account|"],
    ],
    [
      "the account does not exist: account-bound findings are held, and reminded once judged again",
      [
        { hours: 0, checks: { "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|"] },
        { hours: 1, checks: acc, account: null, expect: ["drift-detected:account|"] },
        { hours: 2, checks: acc, account: null, expect: [] },
        { hours: 3, checks: { "per-user-mfa": "fail" }, expect: ["resolved:account|"] },
        { hours: 24, checks: { "per-user-mfa": "fail" }, expect: ["reminder:per-user-mfa|"] },
      ],
      2,
      ["open:account|", "open:per-user-mfa|"],
    ],
    [
      "the account does not exist, then the held finding is judged passing: resolved",
      [
        { hours: 0, checks: { "per-user-mfa": "fail" }, expect: ["drift-detected:per-user-mfa|"] },
        { hours: 1, checks: acc, account: null, expect: ["drift-detected:account|"] },
        { hours: 2, expect: ["resolved:account|", "resolved:per-user-mfa|"] },
      ],
      1,
      ["open:account|", "open:per-user-mfa|"],
    ],
  ])("%s", (_name, steps, index, tracked) => {
    const { states } = play(steps);
    // While skipped: dropped findings are gone, held ones still open.
    expect(states[index]?.findings.map((f) => `${f.status}:${f.key}`)).toEqual(tracked);
  });

  it("a skipped finding leaves the open list and is reported as resolved (silently)", () => {
    const one = diff(undefined, report({ hours: 0, checks: { "sign-ins": "fail" }, expect: [] }), { now: at(0), reminderHours: 24, unknownAlertAfter: 3 });
    const two = diff(one.nextState, report({ hours: 1, checks: { "sign-ins": "skipped" }, expect: [] }), {
      now: at(1),
      reminderHours: 24,
      unknownAlertAfter: 3,
    });
    expect(two.transitions).toEqual([]);
    expect(two.stillOpen).toEqual([]);
    expect(two.resolved.map((f) => f.key)).toEqual(["sign-ins|"]);
    expect(two.nextState.findings).toEqual([]);
  });
});

describe("diff: bookkeeping", () => {
  it("is deterministic: the same decision twice gives the same transition keys", () => {
    const first = diff(undefined, report({ hours: 0, checks: { account: "fail" }, expect: [] }), { now: at(0), reminderHours: 24, unknownAlertAfter: 3 });
    const again = diff(undefined, report({ hours: 0, checks: { account: "fail" }, expect: [] }), { now: at(0), reminderHours: 24, unknownAlertAfter: 3 });
    expect(again).toEqual(first);
  });

  it("reports opened, resolved and still-open findings and increments the version", () => {
    const one = diff(undefined, report({ hours: 0, blocking: ["p1", "p2"], expect: [] }), { now: at(0), reminderHours: 24, unknownAlertAfter: 3 });
    expect(one.nextState.version).toBe(1);
    expect(one.opened.map((f) => f.subject)).toEqual(["p1", "p2"]);
    const two = diff(one.nextState, report({ hours: 1, blocking: ["p2"], checks: { account: "unknown" }, expect: [] }), {
      now: at(1),
      reminderHours: 24,
      unknownAlertAfter: 3,
    });
    expect(two.nextState.version).toBe(2);
    expect(two.opened).toEqual([]);
    expect(two.resolved.map((f) => f.subject)).toEqual(["p1"]);
    expect(two.stillOpen.map((f) => f.subject)).toEqual(["p2"]);
    expect(two.stillOpen[0]).toMatchObject({ subjectName: "Policy p2", reason: "included via All users", since: at(0).toISOString() });
  });

  it("refuses another tenant's state and nonsense periods", () => {
    const s = diff(undefined, report({ hours: 0, expect: [] }), { now: at(0), reminderHours: 24, unknownAlertAfter: 3 }).nextState;
    const other = { ...report({ hours: 1, expect: [] }), tenantId: "22222222-2222-2222-2222-222222222222" };
    expect(() => diff(s, other, { now: at(1), reminderHours: 24, unknownAlertAfter: 3 })).toThrow(/state of tenant/);
    expect(() => diff(undefined, report({ hours: 0, expect: [] }), { now: at(0), reminderHours: 0, unknownAlertAfter: 3 })).toThrow(/reminderHours/);
  });
});
