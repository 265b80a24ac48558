/**
 * Issue 14's due-ness rules (pure, table-driven): when the sign-in contexts, the named locations
 * and What If are read, and how the kept contexts are merged and bounded.
 */
import { describe, expect, it } from "vitest";
import type { Fact, SignInFact } from "../../../lib/model/index.js";
import type { ObservedState } from "../../../lib/model/observed.js";
import {
  carriedWhatIf,
  contextsDue,
  failureSince,
  mergeContexts,
  planObservations,
  storedWhatIf,
  unknownLocations,
  whatIfDue,
  whatIfHash,
} from "../../../lib/runner/observations.js";
import { ok, policy } from "../checks/builders.js";
import { ipLocation, signInContext } from "../checks/observed-contexts-helpers.js";

const NOW = new Date("2026-01-02T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const settings = { contextHours: 6, contextDays: 14 };
const tenant = (i: number) => `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
/** A tenant whose 6-hour period did not turn in the hour before NOW: its contexts, read an hour ago (state()), are not due. */
const STEADY = tenant(0);

function state(over: Partial<ObservedState> = {}): ObservedState {
  return {
    contextsReadAt: hoursAgo(1),
    contextsUnlicensed: null,
    contexts: [signInContext({ lastSeen: hoursAgo(2) })],
    locationsReadAt: hoursAgo(1),
    locations: [{ ...ipLocation("loc-office", []), cidrs: ["203.0.113.0/24"], countries: [] }],
    whatIf: null,
    ...over,
  };
}

function failure(at: string): SignInFact {
  return {
    id: at,
    createdDateTime: at,
    appDisplayName: null,
    appId: null,
    resourceId: null,
    resourceDisplayName: null,
    ipAddress: null,
    errorCode: 50076,
    failureReason: null,
    conditionalAccessStatus: null,
    isInteractive: false,
  };
}

describe("contextsDue", () => {
  // Once per 6-hour period at the tenant's own offset (lib/runner/periods.ts).
  const readAt = (h: number) => state({ contextsReadAt: hoursAgo(h) });

  it("reads every tenant at least once per period, and none twice in one", () => {
    for (let i = 0; i < 200; i += 1) {
      expect(contextsDue(readAt(6), NOW, 6, tenant(i)), tenant(i)).toBe(true); // a whole period back: a boundary lies between
      expect(contextsDue(readAt(0), NOW, 6, tenant(i)), tenant(i)).toBe(false);
      expect(contextsDue(undefined, NOW, 6, tenant(i))).toBe(true);
      expect(contextsDue(state({ contextsReadAt: null }), NOW, 6, tenant(i))).toBe(true);
    }
  });

  it("spreads an estate read at one moment over the runs of the next period: about one in twelve per half-hourly run", () => {
    // 1,200 tenants whose contexts were all read by a first run one minute ago, then a run every 30 minutes for 6 hours.
    const tenants = Array.from({ length: 1200 }, (_, i) => tenant(i));
    let last = new Map(tenants.map((t) => [t, hoursAgo(1 / 60)]));
    const reads = new Map(tenants.map((t) => [t, 0]));
    const perRun: number[] = [];
    for (let run = 1; run <= 12; run += 1) {
      const now = new Date(NOW.getTime() + run * 1_800_000);
      const due = tenants.filter((t) => contextsDue(state({ contextsReadAt: last.get(t)! }), now, 6, t));
      perRun.push(due.length);
      for (const t of due) reads.set(t, reads.get(t)! + 1);
      last = new Map([...last, ...due.map((t) => [t, now.toISOString()] as const)]);
    }
    // Every tenant read in the period (twice only if its boundary fell in the minute before the first run's read, so
    // that the next one falls by the last run), and no run carries more than a fraction of the estate: counted from
    // the last read, all 1,200 came due in run 12.
    expect([...reads.values()].every((n) => n >= 1 && n <= 2)).toBe(true);
    expect([...reads.values()].filter((n) => n === 2).length).toBeLessThan(10);
    expect(Math.max(...perRun)).toBeLessThan(200);
  });
});

describe("failureSince", () => {
  it.each([
    ["no failure", ok<SignInFact[]>([]), hoursAgo(1), false],
    ["a failure before the read", ok([failure(hoursAgo(2))]), hoursAgo(1), false],
    ["a failure after the read", ok([failure(hoursAgo(0.5))]), hoursAgo(1), true],
    ["sign-ins unreadable", { ok: false, code: "unlicensed", reason: "P1" } as Fact<SignInFact[]>, hoursAgo(1), false],
  ] as const)("%s → %s", (_n, signIns, readAt, expected) => {
    expect(failureSince(signIns, readAt)).toBe(expected);
  });
});

describe("planObservations", () => {
  it("(premise) the steady tenant's contexts, read an hour ago, are not due", () => {
    expect(contextsDue(state(), NOW, 6, STEADY)).toBe(false);
  });
  it("reads everything on the first run and when due: the contexts in the batch, the named locations in the round after (never with the policies)", () => {
    for (const prev of [undefined, state({ contextsReadAt: hoursAgo(7) })]) {
      const plan = planObservations(STEADY, prev, NOW, settings);
      expect(Object.keys(plan.carried)).toEqual(["namedLocations"]);
      expect(plan.readIf?.({})).toEqual(["namedLocations"]);
    }
  });
  it("carries both in steady state, and reads nothing more while nothing changed", () => {
    const plan = planObservations(STEADY, state(), NOW, settings);
    expect(Object.keys(plan.carried).sort()).toEqual(["namedLocations", "signInContexts"]);
    expect(plan.readIf?.({ signIns: ok([]), conditionalAccessPolicies: ok([policy()]) })).toEqual([]);
  });
  it("reads the contexts when a failure appears, the named locations when a policy names an unknown one", () => {
    const plan = planObservations(STEADY, state(), NOW, settings);
    expect(plan.readIf?.({ signIns: ok([failure(hoursAgo(0.1))]), conditionalAccessPolicies: ok([]) })).toEqual(["signInContexts"]);
    const named = policy({ conditions: { locations: { includeLocations: ["loc-new"] } } });
    expect(plan.readIf?.({ signIns: ok([]), conditionalAccessPolicies: ok([named]) })).toEqual(["namedLocations"]);
  });
  it("carries a licence refusal as unlicensed, and does not re-read it on a failure", () => {
    const plan = planObservations(STEADY, state({ contextsUnlicensed: "needs Entra ID P1", contexts: [] }), NOW, settings);
    expect(plan.carried.signInContexts).toMatchObject({ ok: false, code: "unlicensed" });
    expect(plan.readIf?.({ signIns: ok([failure(hoursAgo(0.1))]) })).toEqual([]);
  });
});

describe("mergeContexts", () => {
  it("keeps each context once with its newest time, drops those older than the window, newest first, at most 20", () => {
    const a = signInContext({ lastSeen: hoursAgo(3) });
    const aNewer = signInContext({ lastSeen: hoursAgo(1) });
    const old = signInContext({ ipAddress: "192.0.2.1", lastSeen: hoursAgo(15 * 24) });
    const b = signInContext({ ipAddress: "198.51.100.1", lastSeen: hoursAgo(2) });
    expect(mergeContexts([a, old], [aNewer, b], NOW, 14)).toEqual([aNewer, b]);
    const many = Array.from({ length: 30 }, (_, i) => signInContext({ ipAddress: `10.0.0.${i}`, lastSeen: hoursAgo(i) }));
    expect(mergeContexts([], many, NOW, 14)).toHaveLength(20);
  });
});

describe("unknownLocations and whatIfDue", () => {
  it("names only ids the stored locations lack (not All / AllTrusted)", () => {
    const locations = [ipLocation("loc-office", [])];
    const p = (ids: string[]) => ok([policy({ conditions: { locations: { includeLocations: ids } } })]);
    expect(unknownLocations(p(["All", "AllTrusted", "LOC-OFFICE"]), locations)).toBe(false);
    expect(unknownLocations(p(["loc-other"]), locations)).toBe(true);
    // A location the last read already missed (deleted, still named by a policy) is no reason to read every run.
    expect(unknownLocations(p(["loc-other"]), locations, ["loc-other"])).toBe(false);
  });
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
