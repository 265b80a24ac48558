/** What If's due-ness (table-driven) and how its answers are kept in the state row and given back. */
import { describe, expect, it } from "vitest";
import type { ObservedState } from "../../../lib/model/observed.js";
import { carriedWhatIf, storedWhatIf, whatIfDue, whatIfHash } from "../../../lib/runner/what-if.js";
import { ok, policy } from "../checks/builders.js";
import { ipLocation, signInContext } from "../checks/observed-contexts-helpers.js";

const NOW = new Date("2026-01-02T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe("whatIfDue", () => {
  const hash = whatIfHash([policy()], ok([ipLocation("loc", [])]), [signInContext()]);
  const stored = (over: Partial<NonNullable<ObservedState["whatIf"]>> = {}) => ({
    hash,
    at: hoursAgo(1),
    status: "evaluated" as const,
    reason: null,
    permission: null,
    answers: [],
    contexts: [],
    ...over,
  });
  it.each([
    ["never evaluated", null, true],
    ["nothing changed", stored(), false],
    ["something changed", stored({ hash: "other" }), true],
    ["throttled last time (retry hash)", stored({ hash: `retry:${hash}`, status: "skipped" }), true],
    ["refused 1 h ago", stored({ status: "skipped", permission: "Policy.Read.ConditionalAccess" }), false],
    ["refused 7 h ago", stored({ status: "skipped", permission: "Policy.Read.ConditionalAccess", at: hoursAgo(7) }), true],
    [
      "refused within the hour ahead (a host's clock a little ahead)",
      stored({ status: "skipped", permission: "Policy.Read.ConditionalAccess", at: hoursAgo(-0.5) }),
      false,
    ],
    ["refused ten years ahead (a host's clock far ahead): asked again, not never", stored({ status: "skipped", permission: "P", at: hoursAgo(-87_600) }), true],
  ] as const)("%s → %s", (_n, prev, due) => {
    expect(whatIfDue(prev, hash, NOW, 6)).toBe(due);
  });
  it("the hash ignores when a context was last seen, not what it is", () => {
    const again = whatIfHash([policy()], ok([ipLocation("loc", [])]), [signInContext({ lastSeen: hoursAgo(0) })]);
    expect(again).toBe(hash);
    expect(whatIfHash([policy()], ok([ipLocation("loc", [])]), [signInContext({ ipAddress: "192.0.2.2" })])).not.toBe(hash);
    expect(whatIfHash([policy({ displayName: "renamed" })], ok([ipLocation("loc", [])]), [signInContext()])).not.toBe(hash);
  });
});

describe("storedWhatIf / carriedWhatIf", () => {
  it("keeps the answers grouped in the state row and gives them back as they were", () => {
    const answers = [
      { context: "c1", policyId: "p1", policyApplies: false, analysisReasons: "users" },
      { context: "c1", policyId: "p2", policyApplies: false, analysisReasons: "users" },
      { context: "c1", policyId: "p3", policyApplies: true, analysisReasons: "notSet" },
    ];
    const stored = storedWhatIf({ status: "evaluated", evaluatedAt: NOW.toISOString(), answers, contexts: [] }, "h", NOW, false);
    expect(stored.answers).toHaveLength(2);
    expect(stored.hash).toBe("h");
    const back = carriedWhatIf(stored);
    expect(back.status === "evaluated" ? [...back.answers].sort((a, b) => a.policyId.localeCompare(b.policyId)) : []).toEqual(answers);
    expect(storedWhatIf({ status: "skipped", reason: "429" }, "h", NOW, true).hash).toBe("retry:h");
  });
});
