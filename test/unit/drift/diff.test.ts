import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import type { CheckId, CheckResult, CheckStatus, Report, TenantStatus } from "../../../lib/model/report.js";
import { CHECK_IDS } from "../../../lib/model/report.js";
import type { RegisteredMethod, TenantState, Transition } from "../../../lib/model/state.js";
import { tenantStateSchema } from "../../../lib/model/state.js";

const TENANT = "11111111-1111-1111-1111-111111111111";
const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const at = (hours: number) => new Date(T0 + hours * 3_600_000);

interface Step {
  readonly hours: number;
  /** Statuses that differ from `pass`. */
  readonly checks?: Partial<Record<CheckId, CheckStatus>>;
  /** Blocking CA policy ids (makes conditional-access fail). */
  readonly blocking?: readonly string[];
  readonly methods?: readonly RegisteredMethod[] | null;
  /** The connection account's object id in the report; null = the account does not exist. Default "a". */
  readonly account?: string | null;
  /** Expected transitions as "kind" or "kind:findingKey". */
  readonly expect: readonly string[];
}

function report(step: Step): Report {
  const statuses: Partial<Record<CheckId, CheckStatus>> = { ...step.checks };
  if (step.blocking && step.blocking.length > 0) statuses["conditional-access"] = "fail";
  const checks: CheckResult[] = CHECK_IDS.map((id) => {
    const status = statuses[id] ?? "pass";
    const check: CheckResult = { id, status, summary: `${id} is ${status}`, ...(status === "unknown" ? { reason: `could not read ${id}` } : {}) };
    if (id === "conditional-access") {
      return {
        ...check,
        findings: [
          ...(step.blocking ?? []).map((p) => ({
            policyId: p,
            policyName: `Policy ${p}`,
            state: "enabled",
            effect: "blocking" as const,
            reason: "included via All users",
          })),
          { policyId: "excluded-1", policyName: "Excluded", state: "enabled", effect: "excluded" as const, reason: "excluded via user" },
        ],
      };
    }
    return check;
  });
  const all = checks.map((c) => c.status);
  const status: TenantStatus = all.includes("fail") ? "drifted" : all.includes("unknown") ? "unknown" : "compliant";
  return {
    schemaVersion: 1,
    tenantId: TENANT,
    checkedAt: at(step.hours).toISOString(),
    profile: "strict",
    account: step.account === null ? { id: null, userPrincipalName: null } : { id: step.account ?? "a", userPrincipalName: "svc@contoso.com" },
    status,
    warnings: all.filter((s) => s === "warn").length,
    checks,
  };
}

const label = (t: Transition) => ("finding" in t ? `${t.kind}:${t.finding.key}` : t.kind);

function play(steps: readonly Step[]): { states: TenantState[]; transitions: Transition[][] } {
  let state: TenantState | undefined;
  const states: TenantState[] = [];
  const transitions: Transition[][] = [];
  for (const step of steps) {
    const result = diff(state, report(step), { now: at(step.hours), reminderHours: 24, unknownAlertAfter: 3, methods: step.methods });
    expect(result.transitions.map(label), `transitions at +${step.hours}h`).toEqual(step.expect);
    // The state must survive the storage round trip (it is validated on the way back).
    state = tenantStateSchema.parse(JSON.parse(JSON.stringify(result.nextState)));
    states.push(state);
    transitions.push(result.transitions);
  }
  return { states, transitions };
}

const PWD: RegisteredMethod = { id: "28c10230-6103-485e-b985-444c60001490", type: "passwordAuthenticationMethod", label: null };
const APP: RegisteredMethod = { id: "6e7c9c3c-0000-4000-8000-000000000001", type: "microsoftAuthenticatorAuthenticationMethod", label: "Pixel 8" };
const FIDO: RegisteredMethod = { id: "f1d0f1d0-0000-4000-8000-000000000002", type: "fido2AuthenticationMethod", label: "YubiKey" };

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

describe("diff: monitoring degraded", () => {
  it("after UNKNOWN_ALERT_AFTER unknown runs, once, then restored", () => {
    const { transitions } = play([
      { hours: 0, checks: { account: "unknown" }, expect: [] },
      { hours: 1, checks: { account: "unknown", "admin-role": "unknown" }, expect: [] },
      { hours: 2, checks: { account: "unknown" }, expect: ["monitoring-degraded"] },
      { hours: 3, checks: { account: "unknown" }, expect: [] },
      { hours: 30, checks: { account: "unknown" }, expect: [] },
      { hours: 31, expect: ["monitoring-restored"] },
      { hours: 32, expect: [] },
    ]);
    expect(transitions[2]?.[0]).toMatchObject({
      unknownRuns: 3,
      since: at(0).toISOString(),
      reasons: [{ checkId: "account", reason: "could not read account" }],
    });
    expect(transitions[5]?.[0]).toMatchObject({ degradedSince: at(0).toISOString(), status: "compliant" });
  });

  it("a streak broken before the threshold starts counting again", () => {
    play([
      { hours: 0, checks: { account: "unknown" }, expect: [] },
      { hours: 1, checks: { account: "unknown" }, expect: [] },
      { hours: 2, expect: [] },
      { hours: 3, checks: { account: "unknown" }, expect: [] },
      { hours: 4, checks: { account: "unknown" }, expect: [] },
      { hours: 5, checks: { account: "unknown" }, expect: ["monitoring-degraded"] },
    ]);
  });

  it("recovering into drift restores monitoring and detects the drift in one email", () => {
    play([
      { hours: 0, checks: { account: "unknown" }, expect: [] },
      { hours: 1, checks: { account: "unknown" }, expect: [] },
      { hours: 2, checks: { account: "unknown" }, expect: ["monitoring-degraded"] },
      { hours: 3, checks: { "security-defaults": "fail" }, expect: ["monitoring-restored", "drift-detected:security-defaults|"] },
    ]);
  });
});

describe("diff: security notice", () => {
  it("fires when the registered methods change, not on the first read nor when they cannot be read", () => {
    const { transitions, states } = play([
      { hours: 0, methods: [PWD], expect: [] },
      { hours: 1, methods: [APP, PWD], expect: ["security-notice"] },
      { hours: 2, methods: null, expect: [] },
      { hours: 3, methods: [PWD, { ...APP, label: "renamed" }], expect: [] },
      { hours: 4, methods: [PWD, FIDO], expect: ["security-notice"] },
    ]);
    expect(transitions[1]?.[0]).toMatchObject({ added: [APP], removed: [] });
    expect(transitions[4]?.[0]).toMatchObject({ added: [FIDO], removed: [{ ...APP, label: "renamed" }] });
    expect(states[2]?.methods).toHaveLength(2);
  });
});

describe("diff: security notice when the connection account changes", () => {
  it.each<[string, Step[]]>([
    [
      "a new account's methods are a new baseline, not a change",
      [
        { hours: 0, methods: [PWD], expect: [] },
        { hours: 1, account: "b", methods: [APP], expect: [] },
        { hours: 2, account: "b", methods: [APP, FIDO], expect: ["security-notice"] },
      ],
    ],
    [
      "methods unread on the run that changed the account: the next read is still a new baseline",
      [
        { hours: 0, methods: [PWD, APP], expect: [] },
        { hours: 1, account: "b", methods: null, expect: [] },
        { hours: 2, account: "b", methods: [FIDO], expect: [] },
        { hours: 3, account: "b", methods: [PWD], expect: ["security-notice"] },
      ],
    ],
    [
      "the account missing for a run and back with the same id: compared as before",
      [
        { hours: 0, methods: [PWD], expect: [] },
        { hours: 1, account: null, checks: { account: "fail" }, methods: null, expect: ["drift-detected:account|"] },
        { hours: 2, methods: [PWD, APP], expect: ["resolved:account|", "security-notice"] },
      ],
    ],
    [
      "switching back to the first account is a new baseline too",
      [
        { hours: 0, methods: [PWD], expect: [] },
        { hours: 1, account: "b", methods: [APP], expect: [] },
        { hours: 2, methods: [FIDO], expect: [] },
      ],
    ],
  ])("%s", (_name, steps) => {
    play(steps);
  });

  it("remembers whose methods it holds; a state written before (no account id) falls back to its last report's account", () => {
    const { states } = play([{ hours: 0, methods: [PWD], expect: [] }]);
    expect(states[0]).toMatchObject({ methodsAccountId: "a" });
    const { methodsAccountId: _dropped, ...rest } = states[0] as TenantState;
    const old = tenantStateSchema.parse(rest);
    const changed = diff(old, report({ hours: 1, account: "b", expect: [] }), { now: at(1), reminderHours: 24, unknownAlertAfter: 3, methods: [APP] });
    expect(changed.transitions).toEqual([]);
    expect(changed.nextState).toMatchObject({ methods: [APP], methodsAccountId: "b" });
    const same = diff(old, report({ hours: 1, expect: [] }), { now: at(1), reminderHours: 24, unknownAlertAfter: 3, methods: [APP] });
    expect(same.transitions.map((t) => t.kind)).toEqual(["security-notice"]);
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
