/**
 * When the sign-in contexts and the named locations are due (their `due`, table-driven), what they
 * carry when they are not read, and how the contexts read are folded into the ones kept.
 */
import { describe, expect, it } from "vitest";
import { locationsDue, unknownLocations } from "../../../lib/graph/facts/named-locations.js";
import { contextsDue, failureSince, mergeContexts } from "../../../lib/graph/facts/sign-in-contexts.js";
import type { Fact, NamedLocationFact, SignInContext, SignInFact } from "../../../lib/model/facts.js";
import { ok, policy } from "../checks/builders.js";
import { ipLocation, signInContext } from "../checks/observed-contexts-helpers.js";
import { hoursAgo, NOW, observed, previous, run, tenant } from "./due-helpers.js";

function failure(at: string): SignInFact {
  const none = { appDisplayName: null, appId: null, resourceId: null, resourceDisplayName: null, ipAddress: null, failureReason: null };
  return { id: at, createdDateTime: at, ...none, errorCode: 50076, conditionalAccessStatus: null, isInteractive: false };
}

const kept = [signInContext({ lastSeen: hoursAgo(2) })];
const contexts = (readAt: string, fact: Fact<readonly SignInContext[]> = ok(kept)) => previous({ signInContexts: { fact, readAt } });
const unlicensed: Fact<readonly SignInContext[]> = { ok: false, code: "unlicensed", reason: "needs Entra ID P1" };
const office: NamedLocationFact = { ...ipLocation("loc-office", []), cidrs: ["203.0.113.0/24"], countries: [] };
/** Contexts and locations read an hour ago (tenant 0's period did not turn since: due-report-revocation.test.ts). */
const steady = previous({ signInContexts: { fact: ok(kept), readAt: hoursAgo(1) }, namedLocations: { fact: ok([office]), readAt: hoursAgo(1) } });

describe("the sign-in contexts' due", () => {
  it.each([
    ["no state kept", undefined, {}, "read"],
    ["the tenant's first run", null, {}, "read"],
    ["never read (or the last read failed)", previous({}), {}, "read"],
    ["read a whole period ago", contexts(hoursAgo(7)), {}, "read"],
    ["read this period, before the batches", contexts(hoursAgo(1)), {}, "carry"],
    ["read this period, no new failure", contexts(hoursAgo(1)), { signIns: ok([failure(hoursAgo(2))]) }, "carry"],
    ["read this period, a failure since", contexts(hoursAgo(1)), { signIns: ok([failure(hoursAgo(0.1))]) }, "read"],
    ["refused for want of a licence this period, a failure since", contexts(hoursAgo(1), unlicensed), { signIns: ok([failure(hoursAgo(0.1))]) }, "carry"],
  ] as const)("%s → %s", (_name, prev, read, expected) => {
    expect(contextsDue.due(prev, run(read as never))).toBe(expected);
  });

  it("reads every tenant at least once per period, and none twice in one", () => {
    for (let i = 0; i < 200; i += 1) {
      const of = (readAt: string) => contextsDue.due({ ...contexts(readAt), tenantId: tenant(i) }, run());
      expect(of(hoursAgo(6)), tenant(i)).toBe("read"); // a whole period back: a boundary lies between
      expect(of(hoursAgo(0)), tenant(i)).toBe("carry");
    }
  });

  it("spreads an estate read at one moment over the runs of the next period: about one in twelve per half-hourly run", () => {
    // 1,200 tenants whose contexts were all read by a first run one minute ago, then a run every 30 minutes for 6 hours.
    const tenants = Array.from({ length: 1200 }, (_, i) => tenant(i));
    const last = new Map(tenants.map((t) => [t, hoursAgo(1 / 60)]));
    const reads = new Map(tenants.map((t) => [t, 0]));
    const perRun: number[] = [];
    for (let r = 1; r <= 12; r += 1) {
      const now = new Date(NOW.getTime() + r * 1_800_000);
      const due = tenants.filter((t) => contextsDue.due({ ...contexts(last.get(t)!), tenantId: t }, run({}, now)) === "read");
      perRun.push(due.length);
      for (const t of due) {
        reads.set(t, reads.get(t)! + 1);
        last.set(t, now.toISOString());
      }
    }
    // Every tenant read in the period (twice only if its boundary fell in the minute before the first run's read), and no run
    // carries more than a fraction of the estate: counted from the last read, all 1,200 came due in run 12.
    expect([...reads.values()].every((n) => n >= 1 && n <= 2)).toBe(true);
    expect([...reads.values()].filter((n) => n === 2).length).toBeLessThan(10);
    expect(Math.max(...perRun)).toBeLessThan(200);
  });

  it("carries the kept contexts within the window, or a licence refusal as unlicensed", () => {
    const old = signInContext({ ipAddress: "192.0.2.1", lastSeen: hoursAgo(15 * 24) });
    expect(contextsDue.carry?.({ fact: ok([...kept, old]), readAt: hoursAgo(1) }, run())).toEqual(ok(kept));
    expect(contextsDue.carry?.({ fact: unlicensed, readAt: hoursAgo(1) }, run())).toEqual(unlicensed);
    expect(contextsDue.carry?.(undefined, run())).toBeUndefined();
  });

  it("folds the contexts read into the ones kept; a failed read stays the failure", () => {
    const fresh = signInContext({ ipAddress: "198.51.100.1", lastSeen: hoursAgo(0.2) });
    expect(contextsDue.fold?.(ok([fresh]), { fact: ok(kept), readAt: hoursAgo(1) }, run())).toEqual(ok([fresh, ...kept]));
    expect(contextsDue.fold?.(ok([fresh]), { fact: unlicensed, readAt: hoursAgo(1) }, run())).toEqual(ok([fresh]));
    const throttled: Fact<readonly SignInContext[]> = { ok: false, code: "throttled", reason: "429" };
    expect(contextsDue.fold?.(throttled, { fact: ok(kept), readAt: hoursAgo(1) }, run())).toEqual(throttled);
  });
});

describe("the named locations' due", () => {
  const named = (id: string) => ok([policy({ conditions: { locations: { includeLocations: [id] } } })]);
  it.each([
    ["no state kept: in the batches, as everything", undefined, {}, "read"],
    ["the tenant's first run, before the batches (never with the policies)", null, {}, "carry"],
    ["the tenant's first run, after the batches", null, { conditionalAccessPolicies: ok([]) }, "read"],
    ["steady, before the batches", steady, {}, "carry"],
    ["steady, the policies name only known locations", steady, { conditionalAccessPolicies: named("LOC-OFFICE") }, "carry"],
    ["steady, a policy names a location not known yet", steady, { conditionalAccessPolicies: named("loc-new") }, "read"],
    ["steady, the policies unreadable", steady, { conditionalAccessPolicies: { ok: false, code: "forbidden", reason: "403" } }, "carry"],
    [
      "with the contexts, when their period turned",
      { ...steady, reads: { ...steady.reads, signInContexts: { fact: ok(kept), readAt: hoursAgo(7) } } },
      { conditionalAccessPolicies: ok([]) },
      "read",
    ],
    ["never read", previous({}), { conditionalAccessPolicies: ok([]) }, "read"],
    [
      "a location the last read already missed is no reason to read every run",
      { ...steady, observed: observed({ locationsUnknownIds: ["loc-gone"] }) },
      { conditionalAccessPolicies: named("loc-gone") },
      "carry",
    ],
  ] as const)("%s → %s", (_name, prev, read, expected) => {
    expect(locationsDue.due(prev, run(read as never))).toBe(expected);
  });
});

describe("failureSince, mergeContexts, unknownLocations", () => {
  it.each([
    ["no failure", ok<SignInFact[]>([]), hoursAgo(1), false],
    ["a failure before the read", ok([failure(hoursAgo(2))]), hoursAgo(1), false],
    ["a failure after the read", ok([failure(hoursAgo(0.5))]), hoursAgo(1), true],
    ["sign-ins unreadable", { ok: false, code: "unlicensed", reason: "P1" } as Fact<SignInFact[]>, hoursAgo(1), false],
  ] as const)("failureSince: %s → %s", (_n, signIns, readAt, expected) => {
    expect(failureSince(signIns, readAt)).toBe(expected);
  });

  it("mergeContexts keeps each context once with its newest time, drops those older than the window, newest first, at most 20", () => {
    const a = signInContext({ lastSeen: hoursAgo(3) });
    const aNewer = signInContext({ lastSeen: hoursAgo(1) });
    const old = signInContext({ ipAddress: "192.0.2.1", lastSeen: hoursAgo(15 * 24) });
    const b = signInContext({ ipAddress: "198.51.100.1", lastSeen: hoursAgo(2) });
    expect(mergeContexts([a, old], [aNewer, b], NOW, 14)).toEqual([aNewer, b]);
    const many = Array.from({ length: 30 }, (_, i) => signInContext({ ipAddress: `10.0.0.${i}`, lastSeen: hoursAgo(i) }));
    expect(mergeContexts([], many, NOW, 14)).toHaveLength(20);
  });

  it("unknownLocations names only ids the stored locations lack (not All / AllTrusted)", () => {
    const locations = [ipLocation("loc-office", [])];
    const p = (ids: string[]) => ok([policy({ conditions: { locations: { includeLocations: ids } } })]);
    expect(unknownLocations(p(["All", "AllTrusted", "LOC-OFFICE"]), locations)).toBe(false);
    expect(unknownLocations(p(["loc-other"]), locations)).toBe(true);
    // A location the last read already missed (deleted, still named by a policy) is no reason to read every run.
    expect(unknownLocations(p(["loc-other"]), locations, ["loc-other"])).toBe(false);
  });
});
