/**
 * The sample estate's Conditional Access baseline (sim/estate/baseline: 35 policies by persona, in the wire
 * format Graph beta returns, with @odata annotations, guests, user actions, authentication contexts, device
 * filters, authentication flows, strengths, session controls, `None`, agent-identity conditions), read as the
 * collector reads it and judged for a Global Administrator service account in different groups. Each expected
 * verdict follows from the rules in docs/conditional-access.md and the design's "does a policy apply?".
 */
import { describe, expect, it } from "vitest";
import { CHECKS, evaluatePolicy, getProfile } from "../../../lib/checks/index.js";
import { toCaPolicies } from "../../../lib/graph/facts/conditional-access-policies.js";
import type { CaEffect, CaFinding, CaPolicy, GroupRef, TenantFacts } from "../../../lib/model/index.js";
import { BASELINE_GROUP, baselineGroups, baselinePolicies, exclusionGroupId } from "../../../sim/estate/baseline/index.js";
import { context, facts, failed, membership, ok } from "./builders.js";

const parsed = toCaPolicies(baselinePolicies());
if (!parsed.ok) throw new Error(parsed.problem);
const POLICIES: readonly CaPolicy[] = parsed.value;
const STRICT = getProfile("strict")!;

function group(id: string): GroupRef {
  const g = baselineGroups().find((x) => x.id === id);
  if (!g) throw new Error(`no group ${id} in the baseline`);
  return { id: g.id, displayName: g.displayName };
}

const EMERGENCY = group(BASELINE_GROUP.emergencyAccess.id);
const AUTOMATION = group(BASELINE_GROUP.automation.id);
const STAFF = group(BASELINE_GROUP.staff.id);
const BL08_EXCLUSIONS = group(exclusionGroupId(8));

function withGroups(...groups: GroupRef[]): TenantFacts {
  return facts({ membership: ok(membership({ groups })), conditionalAccessPolicies: ok(POLICIES) });
}

const run = (f: TenantFacts) => CHECKS["conditional-access"].run(f, STRICT);
const findings = (f: TenantFacts): CaFinding[] => [...(run(f).findings ?? [])];
/** Effect per policy, keyed by the baseline's code (BL01, BL12…). */
const effects = (list: readonly CaFinding[]): Record<string, CaEffect> => Object.fromEntries(list.map((x) => [x.policyName.slice(0, 4), x.effect]));
const byCode = (list: readonly CaFinding[], code: string): CaFinding | undefined => list.find((x) => x.policyName.startsWith(`${code} `));
const NOT_TARGETED = ["BL20", "BL21", "BL22", "BL23", "BL24", "BL25", "BL26", "BL27", "BL28", "BL30", "BL31", "BL40", "BL41", "BL42", "BL50", "BL51", "BL52"];

describe("the sample estate's Conditional Access baseline", () => {
  it("has 35 policies, one of them disabled, and one exclusion group for each policy that targets people", () => {
    expect(POLICIES).toHaveLength(35);
    expect(POLICIES.filter((p) => p.state === "disabled").map((p) => p.displayName)).toEqual(["BL10 Everyone: block Windows Phone (retired, kept disabled)"]);
    expect(new Set(POLICIES.map((p) => p.id)).size).toBe(35);
    for (const p of POLICIES.filter((x) => !x.conditions?.users?.includeUsers?.includes("None"))) {
      expect(p.conditions?.users?.excludeGroups, p.displayName).toContain(exclusionGroupId(Number(p.displayName.slice(2, 4))));
    }
  });

  it.each(POLICIES.filter((p) => p.state !== "disabled").map((p) => [p.displayName, p] as const))("evaluates %s without throwing", (_name, p) => {
    const f = evaluatePolicy(p, context(), STRICT);
    expect(f?.reason.length).toBeGreaterThan(0);
  });

  it("blocks a Global Administrator in no group, and says why for each policy", () => {
    const list = findings(withGroups());
    expect(list).toHaveLength(34); // BL10 is disabled: no verdict
    expect(effects(list)).toEqual({
      BL01: "blocking", // all users, all apps, MFA; its guest exclusion never removes a member
      BL02: "conditional", // block outside the allowed countries: a location condition
      BL03: "not-applicable", // legacy client apps only
      BL04: "not-applicable", // a user action only
      BL05: "not-applicable", // a user action only
      BL06: "conditional", // authentication flows
      BL07: "conditional", // phones and tablets, unmanaged devices (device filter)
      BL08: "session-only", // app-enforced restrictions, no grant control
      BL09: "conditional", // an application filter in include mode
      BL11: "not-applicable", // admin portals: not an app the account signs in to
      BL12: "blocking", // MFA for admin roles
      BL13: "session-only", // sign-in frequency
      BL14: "session-only", // persistent browser
      BL15: "not-applicable", // the None application
      BL16: "report-only", // phishing-resistant strength, report-only
      BL17: "conditional", // sign-in risk made only of real levels
      BL18: "not-applicable", // an authentication context only
      ...Object.fromEntries(NOT_TARGETED.map((code) => [code, "not-targeted"])), // staff, automation, guests, agents
    });
    expect(byCode(list, "BL01")).toMatchObject({ reason: "included via all users", controls: ["mfa"] });
    expect(byCode(list, "BL12")).toMatchObject({ reason: "included via role Global Administrator", controls: ["mfa"] });
    expect(byCode(list, "BL16")?.controls).toEqual(["authentication strength Phishing-resistant MFA"]);
    expect(byCode(list, "BL02")).toMatchObject({ conditions: ["locations: All except 1 location"], controls: ["block"] });
    expect(byCode(list, "BL06")?.conditions).toEqual(["authentication flows: deviceCodeFlow, authenticationTransfer"]);
    expect(byCode(list, "BL07")?.conditions).toEqual([
      "platforms: android, iOS",
      'device filter (exclude): device.isCompliant -eq True -or device.trustType -eq "ServerAD"',
    ]);
    expect(byCode(list, "BL09")?.conditions).toEqual([expect.stringMatching(/^application filter \(include\)/)]);
    expect(byCode(list, "BL17")?.conditions).toEqual(["sign-in risk: medium, high"]);
    expect(byCode(list, "BL08")?.reason).toMatch(/session controls only \(app enforced restrictions\)$/);
    expect(byCode(list, "BL13")?.reason).toMatch(/session controls only \(sign-in frequency\)$/);
    expect(byCode(list, "BL03")?.reason).toMatch(/only legacy client apps \(exchangeActiveSync, other\)/);
    expect(byCode(list, "BL04")?.reason).toMatch(/only user actions \(urn:user:registerdevice\)/);
    expect(byCode(list, "BL15")?.reason).toMatch(/its applications are None/);
    expect(byCode(list, "BL18")?.reason).toMatch(/only authentication contexts \(c1\)/);
    expect(byCode(list, "BL40")?.reason).toMatch(/only guests or external users/);
    expect(byCode(list, "BL41")?.reason).toMatch(/only guests or external users/);
    expect(byCode(list, "BL50")?.reason).toBe("targets no users (None)");
    expect(run(withGroups()).status).toBe("fail");
  });

  it("never blocks an account in the emergency-access group; only BL08, which forgets that group, sets session controls", () => {
    const list = findings(withGroups(EMERGENCY));
    const passing: CaEffect[] = ["excluded", "not-targeted", "not-applicable"];
    expect(list.filter((x) => !passing.includes(x.effect)).map((x) => [x.policyName.slice(0, 4), x.effect])).toEqual([["BL08", "session-only"]]);
    expect(effects(list)).toMatchObject({ BL01: "excluded", BL12: "excluded", BL16: "excluded", BL17: "excluded", BL20: "not-targeted", BL50: "not-targeted" });
    expect(byCode(list, "BL01")?.reason).toBe("excluded via group Baseline - emergency access");
    expect(run(withGroups(EMERGENCY))).toMatchObject({ status: "warn", summary: "1 policy sets session controls" });
  });

  it("passes an account in every exclusion group it needs", () => {
    const r = run(withGroups(EMERGENCY, BL08_EXCLUSIONS));
    expect(r.status).toBe("pass");
    expect(r.summary).toBe("No policy applies to the account (34 policies checked)");
  });

  it("targets an account in the automation persona with the persona's own policies", () => {
    const list = findings(withGroups(AUTOMATION, EMERGENCY));
    expect(effects(list)).toMatchObject({ BL01: "excluded", BL30: "excluded", BL31: "conditional" });
    expect(byCode(list, "BL31")).toMatchObject({ reason: "included via group Baseline - automation accounts", controls: ["block"] });
    expect(run(withGroups(AUTOMATION, EMERGENCY)).status).toBe("warn");

    const notExcluded = findings(withGroups(AUTOMATION));
    expect(effects(notExcluded)).toMatchObject({ BL01: "excluded", BL30: "blocking", BL31: "conditional" });
    expect(byCode(notExcluded, "BL01")?.reason).toBe("excluded via group Baseline - automation accounts");
  });

  it("judges the staff policies for an account in the staff group", () => {
    const list = findings(withGroups(STAFF, EMERGENCY, BL08_EXCLUSIONS));
    expect(list.filter((x) => x.policyName.startsWith("BL2")).every((x) => x.effect === "excluded")).toBe(true);

    const staff = effects(findings(withGroups(STAFF)));
    expect(Object.fromEntries(Object.entries(staff).filter(([code]) => code.startsWith("BL2")))).toEqual({
      BL20: "blocking", // MFA
      BL21: "conditional", // user risk
      BL22: "conditional", // insider risk
      BL23: "session-only", // sign-in frequency on some platforms: session controls do not block
      BL24: "conditional", // Windows only
      BL25: "conditional", // all platforms but the known ones
      BL26: "not-applicable", // Intune enrolment is not an app the account signs in to
      BL27: "session-only", // continuous access evaluation
      BL28: "blocking", // terms of use on Office 365
    });

    // At high user risk now, the policy whose only condition is user risk certainly applies.
    const atRisk = facts({
      membership: ok(membership({ groups: [STAFF] })),
      conditionalAccessPolicies: ok(POLICIES),
      riskyUser: ok({ riskLevel: "high", riskState: "atRisk", riskDetail: null, riskLastUpdatedDateTime: null }),
    });
    expect(byCode(findings(atRisk), "BL21")).toMatchObject({ effect: "blocking", controls: ["mfa", "passwordChange"] });
  });

  it("is unknown, not silent, when the account's groups cannot be read", () => {
    const f = facts({ membership: failed("forbidden", "Graph answered 403", "GroupMember.Read.All"), conditionalAccessPolicies: ok(POLICIES) });
    const r = run(f);
    // BL01 excludes groups: the account may be in one, so its verdict is open, not blocking.
    expect(effects(r.findings ?? [])).toMatchObject({ BL01: "unknown", BL03: "not-applicable", BL40: "not-targeted", BL50: "not-targeted" });
    expect(r.status).toBe("unknown");
    expect(r.reason).toMatch(/GroupMember\.Read\.All/);
  });
});
