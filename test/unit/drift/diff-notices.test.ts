/** diff: monitoring degraded after unknown runs, and the security notice when the account's registered methods change. */
import { describe, expect, it } from "vitest";
import { diff } from "../../../lib/drift/index.js";
import type { TenantState } from "../../../lib/model/state.js";
import { tenantStateSchema } from "../../../lib/model/state.js";
import type { Step } from "./diff-helpers.js";
import { APP, FIDO, PWD, at, play, report } from "./diff-helpers.js";

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
