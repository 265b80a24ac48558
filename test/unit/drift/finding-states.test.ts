/**
 * The findings' state machine, row by row: each row of lib/drift/finding-states.ts is played through
 * the real diff (or late run) from a stored finding in its `from` state, written the way rows
 * without an explicit state were; the test checks the email it earns and the state the stored
 * finding is left in, read back from the old fields alone. Each stored finding was last seen failing
 * with the summary a `failing` report gives; a `changed` report fails with another summary.
 */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import { FINDING_RULES, OBSERVATIONS, ruleFor, type FindingRule } from "../../../lib/drift/finding-states.js";
import { stateOf } from "../../../lib/drift/finding-stored.js";
import { late } from "../../../lib/drift/late.js";
import { FINDING_STATES, type FindingState } from "../../../lib/model/finding-state.js";
import type { Report } from "../../../lib/model/report.js";
import { tenantStateSchema, type TenantState, type TrackedFinding, type Transition } from "../../../lib/model/state.js";
import { at, report } from "./diff-helpers.js";
import { causeOf, type Standings } from "../../../lib/drift/standing.js";
import { failingFindings, fingerprintOf } from "../../../lib/drift/observe.js";

const KEY = "security-defaults|";
const TENANT = "11111111-1111-1111-1111-111111111111";
const optional = (standings: Standings | undefined) => (standings ? { standings } : {});
const H0 = 100;
const iso = (hours: number) => at(hours).toISOString();

const EXCEPTION_VIEW = { exceptionId: "check:security-defaults", scope: TENANT, until: iso(H0 + 999), reason: "r", owner: "o", reference: "T-1" };
const EXPLICIT: readonly FindingState[] = ["acknowledged", "excepted"];

/** An acknowledgement of the finding's episode and an exception waiving its check: what `acknowledged` and `excepted` see. */
function standingsFor(rule: FindingRule, hours: number): Standings | undefined {
  const episode = rule.from === "untracked" ? iso(hours) : STORED[rule.from].since;
  const ack = { schemaVersion: 1 as const, tenantId: TENANT, findingKey: KEY, reason: "r", by: "ann", at: iso(H0), until: iso(H0 + 99), episode };
  if (rule.seen === "acknowledged")
    return { acks: [{ ...ack, cause: causeOf({ subject: "", summary: "security-defaults is fail", reason: null }) }], exceptions: [] };
  if (rule.seen !== "excepted") return undefined;
  const { exceptionId: id, scope, until: expiresAt, reason, owner, reference } = EXCEPTION_VIEW;
  const target = { kind: "check-waived" as const, checkId: "security-defaults" };
  return { acks: [], exceptions: [{ schemaVersion: 1, id, scope, target, reason, owner, reference, expiresAt, by: "ann", at: iso(H0) }] };
}

const CHANGED_SUMMARY = "Security Defaults are enabled, and now enforced for every user";

/** What the stored finding was last seen failing for: what a `failing` report says. */
const LAST_SEEN = (() => {
  const failing = report({ hours: H0, checks: { "security-defaults": "fail" }, expect: [] });
  const ref = failingFindings(failing).get(KEY);
  if (!ref) throw new Error("no failing finding");
  return fingerprintOf(ref, failing);
})();

/** A stored finding in each state, as a row without `state` carries it; the last email about it at H0. */
const STORED: Record<FindingState, TrackedFinding> = (() => {
  const base: TrackedFinding = {
    fingerprint: LAST_SEEN,
    key: KEY,
    checkId: "security-defaults",
    subject: "",
    subjectName: null,
    status: "open",
    since: iso(H0),
    lastFailedAt: iso(H0),
    lastAlertedAt: iso(H0),
    lastHeard: "failing",
    resolvedAt: null,
    flaps: 0,
    reopenedAt: null,
    summary: "Security Defaults are enabled",
  };
  return {
    open: base,
    reminded: { ...base, since: iso(H0 - 24) },
    reopened: { ...base, reopenedAt: iso(H0) },
    "held-back": { ...base, status: "resolved", resolvedAt: iso(H0 + 1), reopenedAt: iso(H0), flaps: 1 },
    resolved: { ...base, status: "resolved", lastHeard: "resolved", since: iso(H0 - 5), resolvedAt: iso(H0) },
    "reopened-quietly": { ...base, lastHeard: "resolved", since: iso(H0 - 5), flaps: 1, reopenedAt: undefined },
    // States only an explicit `state` can name (the old fields read as open and resolved).
    acknowledged: {
      ...base,
      since: iso(H0 - 24),
      state: "acknowledged",
      standing: { kind: "acknowledged", by: "ann", at: iso(H0), until: iso(H0 + 99), reason: "r" },
    },
    excepted: { ...base, status: "resolved", lastHeard: "resolved", state: "excepted", standing: { kind: "excepted", ...EXCEPTION_VIEW } },
  };
})();

/** What each observation looks like in a report. */
function reportSeeing(seen: FindingRule["seen"], hours: number): Report {
  const checks = {
    failing: "fail",
    changed: "fail",
    passing: "pass",
    held: "unknown",
    unchecked: "skipped",
    retired: "pass",
    late: "pass",
    acknowledged: "fail",
    excepted: "fail",
  } as const;
  const summaries = seen === "changed" ? { "security-defaults": CHANGED_SUMMARY } : {};
  const r = report({ hours, checks: { "security-defaults": checks[seen] }, summaries, expect: [] });
  return seen === "retired" ? { ...r, checks: r.checks.filter((c) => c.id !== "security-defaults") } : r;
}

function play(rule: FindingRule, elapsed: boolean): { emails: Transition[]; after: TrackedFinding | undefined } {
  const hours = elapsed ? H0 + 25 : H0 + 2;
  const start = diff(undefined, report({ hours: H0 - 48, expect: [] }), { now: at(H0 - 48), reminderHours: 24, unknownAlertAfter: 3 }).nextState;
  const previous: TenantState = { ...start, findings: rule.from === "untracked" ? [] : [STORED[rule.from]] };
  const result =
    rule.seen === "late"
      ? late(previous, { now: at(hours), reason: "throttled" })
      : diff(previous, reportSeeing(rule.seen, hours), { now: at(hours), reminderHours: 24, unknownAlertAfter: 3, ...optional(standingsFor(rule, hours)) });
  const stored = tenantStateSchema.parse(JSON.parse(JSON.stringify(result.nextState)));
  return { emails: result.transitions.filter((t) => "finding" in t && t.finding.key === KEY), after: stored.findings.find((f) => f.key === KEY) };
}

/** Every row, once per period it covers. */
const WALK = FINDING_RULES.flatMap((rule) =>
  (rule.period === "any" ? ["running", "elapsed"] : [rule.period]).map((period) => ({
    ...rule,
    when: period,
    name: `${rule.from} + ${rule.seen} (${period}) → ${rule.to}${rule.send ? `, sends ${rule.send}` : ""}: ${rule.why}`,
  })),
);

describe("the findings' state machine", () => {
  it.each(WALK)("$name", (row) => {
    const { emails, after } = play(row, row.when === "elapsed");
    expect(emails.map((t) => t.kind)).toEqual(row.send ? [row.send] : []);
    if (row.to === "untracked" || row.to === "retired") {
      expect(after).toBeUndefined();
    } else {
      expect(after?.state).toBe(row.to);
      // The old fields, which readers and older rows go by, say the same.
      if (!EXPLICIT.includes(row.to)) expect(after && stateOf({ ...after, state: undefined })).toBe(row.to);
      expect(after && stateOf(after)).toBe(row.to);
      // What holds it back is stored with it, and only while it is held back.
      expect(after?.standing?.kind).toBe(EXPLICIT.includes(row.to) ? row.to : undefined);
    }
    // Flaps are counted while nothing is sent, told by the next reminder, and start again after any email.
    const flaps = (row.from === "untracked" ? 0 : STORED[row.from].flaps) + (row.flap ? 1 : 0);
    if (emails[0]?.kind === "reminder") expect(emails[0].flaps).toBe(flaps);
    // A change is not mailed: the reminder period and the flaps run on.
    const mailed = row.send !== null && row.send !== "finding-changed";
    if (after) expect(after.flaps).toBe(mailed ? 0 : flaps);
    if (after && row.from !== "untracked" && !mailed) expect(after.lastAlertedAt).toBe(STORED[row.from].lastAlertedAt);
    // What it fails for is kept whenever the run saw it failing, so the next run can tell a change.
    if (after && row.seen !== "passing" && row.seen !== "held" && row.seen !== "late" && row.seen !== "unchecked") {
      expect(after.fingerprint).not.toBe(undefined);
      expect(after.fingerprint === LAST_SEEN).toBe(row.seen !== "changed");
    }
  });

  it("has exactly one rule for every stored state, observation and period", () => {
    for (const state of FINDING_STATES) {
      for (const seen of OBSERVATIONS) {
        for (const elapsed of [false, true]) expect(ruleFor(state, seen, elapsed).from).toBe(state);
      }
    }
  });

  it("starts tracking a finding only when it fails", () => {
    expect(FINDING_RULES.filter((r) => r.from === "untracked").map((r) => r.seen)).toEqual(["failing", "acknowledged", "excepted"]);
  });

  it("sends check-retired only while the recipients last heard the finding is failing", () => {
    const retiring = FINDING_RULES.filter((r) => r.seen === "retired" && r.send === "check-retired").map((r) => r.from);
    expect(retiring).toEqual(["open", "reminded", "reopened", "held-back", "acknowledged"]);
  });
});

describe("a stored finding's state", () => {
  const b = STORED.open;
  it.each<[string, TrackedFinding, FindingState]>([
    ["open, told failing, its first email only: open", b, "open"],
    ["open, told failing, emailed since it started: reminded", { ...b, lastAlertedAt: iso(H0 + 24) }, "reminded"],
    ["open, told failing, a loud re-opening: reopened", { ...b, reopenedAt: iso(H0) }, "reopened"],
    ["resolved, told failing: held-back", { ...b, status: "resolved", resolvedAt: iso(H0) }, "held-back"],
    ["resolved, told resolved: resolved", { ...b, status: "resolved", lastHeard: "resolved", resolvedAt: iso(H0) }, "resolved"],
    ["open, told resolved (the former flapping rule): reopened-quietly", { ...b, lastHeard: "resolved", reopenedAt: undefined }, "reopened-quietly"],
    ["an explicit state the old fields agree with is kept", { ...b, state: "reminded" }, "reminded"],
    ["an explicit state the old fields contradict is derived again", { ...b, status: "resolved", lastHeard: "resolved", state: "open" }, "resolved"],
  ])("%s", (_name, finding, state) => {
    expect(stateOf(finding)).toBe(state);
  });
});
