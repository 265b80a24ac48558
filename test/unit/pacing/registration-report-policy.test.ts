/** When the registration report is read, and what is carried when it is not. */
import { describe, expect, it } from "vitest";
import { carriedReport, methodsChanged, planRegistrationReport, registrationReportDue } from "../../../lib/runner/registration-report-policy.js";
import { periodOf } from "../../../lib/runner/periods.js";
import type { TenantState } from "../../../lib/model/state.js";

const T = "b0000000-0000-4000-8000-000000000001";
const at = Date.UTC(2026, 2, 2, 8, 0, 0);
const password = { id: "p", type: "passwordAuthenticationMethod", label: null };

function state(over: Partial<TenantState> = {}): TenantState {
  return {
    schemaVersion: 1,
    tenantId: T,
    version: 1,
    updatedAt: new Date(at).toISOString(),
    lastReport: {
      schemaVersion: 1,
      tenantId: T,
      checkedAt: new Date(at).toISOString(),
      profile: "strict",
      account: { id: null, userPrincipalName: null },
      status: "compliant",
      warnings: 0,
      checks: [],
    },
    findings: [],
    consecutiveUnknown: 0,
    unknownSince: null,
    degradedAlertedAt: null,
    methods: [password],
    factsDigest: "d",
    lastSnapshotAt: new Date(at).toISOString(),
    lastSnapshotId: "s1",
    ...over,
  };
}

const report = { ok: true as const, value: { isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: null } };

describe("registration report policy", () => {
  it("reads on the first run, without readable methods or a snapshot, and once per period", () => {
    expect(registrationReportDue(T, undefined, new Date(at), 6)).toMatchObject({ read: true });
    expect(registrationReportDue(T, state({ methods: null }), new Date(at), 6)).toMatchObject({ read: true });
    expect(registrationReportDue(T, state({ lastSnapshotId: null }), new Date(at), 6)).toMatchObject({ read: true });
    // Over a day of half-hourly runs, exactly one read per 6-hour period.
    let reads = 0;
    for (let run = 1; run <= 48; run += 1) {
      const prev = state({ updatedAt: new Date(at + (run - 1) * 1_800_000).toISOString() });
      if (registrationReportDue(T, prev, new Date(at + run * 1_800_000), 6).read) reads += 1;
    }
    expect(reads).toBe(4);
  });

  it("spreads the tenants' reads over the period", () => {
    const periods = new Set<number>();
    for (let i = 0; i < 200; i += 1) periods.add(periodOf(`b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`, at, 6));
    expect(periods.size).toBe(2); // offsets in [0, 6 h): some tenants already in the next period
  });

  it("notices changed or unreadable methods", () => {
    expect(methodsChanged([password], { ok: true, value: [password] })).toBe(false);
    expect(methodsChanged([password], { ok: true, value: [password, { id: "a", type: "microsoftAuthenticatorAuthenticationMethod", label: "Pixel" }] })).toBe(
      true,
    );
    expect(methodsChanged([password], { ok: false, code: "forbidden", reason: "403" })).toBe(true);
  });

  it("carries only a read value or a licence answer", () => {
    expect(
      carriedReport({ facts: { tenantId: T, collectedAt: "", conditionalAccessPolicies: { ok: true, value: [] }, registrationDetails: report } as never }),
    ).toEqual(report);
    const unlicensed = { ok: false, code: "unlicensed", reason: "no P1", httpStatus: 403 };
    expect(carriedReport({ facts: { registrationDetails: unlicensed } as never })).toEqual(unlicensed);
    expect(carriedReport({ facts: { registrationDetails: { ok: false, code: "throttled", reason: "429" } } as never })).toBeUndefined();
    expect(carriedReport(undefined)).toBeUndefined();
  });

  it("plans a skip with the carried value, and a read when the snapshot has none", async () => {
    const input = { tenantId: T, previous: state(), now: new Date(at + 60_000), hours: 6 };
    const skip = await planRegistrationReport({ ...input, snapshot: async () => ({ facts: { registrationDetails: report } as never }) });
    expect(skip).toMatchObject({ mode: "skip", carried: report });
    expect(skip.mode === "skip" && skip.readIf?.({ ok: true, value: [password] })).toBe(false);
    expect(await planRegistrationReport({ ...input, snapshot: async () => undefined })).toEqual({ mode: "read" });
  });
});
