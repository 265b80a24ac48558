/**
 * What a run hands the collector of the last run (previousRun) and what it leaves for the next
 * (observedAfter): a value carried stays as it was, a value read is remembered with its read time.
 */
import { describe, expect, it } from "vitest";
import type { Fact, SignInContext } from "../../../lib/model/facts.js";
import type { TenantState } from "../../../lib/model/state.js";
import { observedAfter, previousRun } from "../../../lib/runner/previous.js";
import { facts, ok, policy } from "../checks/builders.js";
import { ipLocation, signInContext } from "../checks/observed-contexts-helpers.js";

const NOW = new Date("2026-01-02T12:00:00Z");
const EARLIER = "2026-01-02T11:00:00.000Z";
const report = { ok: true as const, value: { isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: null } };
const context = signInContext({ lastSeen: EARLIER });
const office = { ...ipLocation("loc-office", ["203.0.113.0/24"]), cidrs: ["203.0.113.0/24"], countries: [] };

function state(over: Partial<TenantState> = {}): TenantState {
  const t = facts().tenantId;
  const lastReport = { schemaVersion: 1 as const, tenantId: t, checkedAt: EARLIER, profile: "strict", account: { id: null, userPrincipalName: null } };
  return {
    ...{ schemaVersion: 2, tenantId: t, version: 1, updatedAt: EARLIER, findings: [], consecutiveUnknown: 0, unknownSince: null, degradedAlertedAt: null },
    lastReport: { ...lastReport, status: "compliant", warnings: 0, checks: [] },
    methods: [],
    factsDigest: "d",
    lastSnapshotAt: EARLIER,
    lastSnapshotId: "s1",
    observed: { contextsReadAt: EARLIER, contextsUnlicensed: null, contexts: [context], locationsReadAt: EARLIER, locations: [office], whatIf: null },
    ...over,
  };
}
const snapshotWith = (registrationDetails: unknown) => ({ facts: { registrationDetails } as never });

describe("previousRun", () => {
  it("is null for a tenant without state (its first run)", () => {
    expect(previousRun(undefined, undefined)).toBeNull();
  });

  it("hands over the kept contexts and locations, and the snapshot's report, each with its read time", () => {
    const p = previousRun(state(), snapshotWith(report));
    expect(p?.reads.signInContexts).toEqual({ fact: ok([context]), readAt: EARLIER });
    expect(p?.reads.namedLocations).toEqual({ fact: ok([office]), readAt: EARLIER });
    // A row written before the report's read time was kept: the state's own time.
    expect(p?.reads.registrationDetails).toEqual({ fact: report, readAt: EARLIER });
    const read = previousRun(state({ observed: { ...state().observed!, registrationReportReadAt: "2026-01-02T06:00:00.000Z" } }), snapshotWith(report));
    expect(read?.reads.registrationDetails?.readAt).toBe("2026-01-02T06:00:00.000Z");
  });

  it.each([
    ["a read value", report, true],
    ["a licence answer", { ok: false, code: "unlicensed", reason: "no P1", httpStatus: 403 }, true],
    ["a carried value (its mark dropped)", { ...report, carried: { readAt: EARLIER } }, true],
    ["a throttled read", { ok: false, code: "throttled", reason: "429" }, false],
    ["nothing", undefined, false],
  ] as const)("carries the report from %s: %s", (_n, stored, carried) => {
    expect(previousRun(state(), snapshotWith(stored))?.reads.registrationDetails !== undefined).toBe(carried);
  });

  it("a licence refusal of the contexts is handed over as unlicensed; never-read contexts not at all", () => {
    const refused = previousRun(state({ observed: { ...state().observed!, contextsUnlicensed: "needs P1", contexts: [] } }), undefined);
    expect(refused?.reads.signInContexts?.fact).toMatchObject({ ok: false, code: "unlicensed" });
    expect(previousRun(state({ observed: { ...state().observed!, contextsReadAt: null } }), undefined)?.reads.signInContexts).toBeUndefined();
  });
});

describe("observedAfter", () => {
  const kept = state().observed;
  const carried = <T>(f: Fact<T>): Fact<T> => ({ ...f, carried: { readAt: EARLIER } });

  it("keeps the read times of what was carried", () => {
    const o = observedAfter(
      facts({ signInContexts: carried(ok([context])), namedLocations: carried(ok([office])), registrationDetails: carried(report) }),
      kept,
      NOW,
    );
    expect(o).toMatchObject({ contextsReadAt: EARLIER, contexts: [context], locationsReadAt: EARLIER, locations: [office] });
    expect(o.registrationReportReadAt).toBeUndefined();
  });

  it("remembers what was read now, with the locations the policies name that it did not return", () => {
    const named = policy({ conditions: { locations: { includeLocations: ["loc-gone"] } } });
    const fresh: SignInContext = signInContext({ ipAddress: "198.51.100.1", lastSeen: NOW.toISOString() });
    const o = observedAfter(
      facts({ signInContexts: ok([fresh]), namedLocations: ok([office]), registrationDetails: report, conditionalAccessPolicies: ok([named]) }),
      kept,
      NOW,
    );
    expect(o).toMatchObject({ contextsReadAt: NOW.toISOString(), contexts: [fresh], locationsReadAt: NOW.toISOString(), locationsUnknownIds: ["loc-gone"] });
    expect(o.registrationReportReadAt).toBe(NOW.toISOString());
  });

  it("a failed contexts read learns nothing (due again next run); one not asked keeps everything", () => {
    expect(observedAfter(facts({ signInContexts: { ok: false, code: "throttled", reason: "429" } }), kept, NOW)).toMatchObject({
      contextsReadAt: null,
      contexts: [context],
    });
    expect(observedAfter(facts({ signInContexts: { ok: false, code: "dependency", reason: "no account" } }), kept, NOW)).toMatchObject({
      contextsReadAt: EARLIER,
    });
  });
});
