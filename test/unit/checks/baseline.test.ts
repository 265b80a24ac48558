/**
 * The 36 policies of the published baseline (copied with its licence into sim/estate/baseline), exactly as Graph
 * exported them (with @odata annotations, agent-identity fields, `None` and `AllAgentIdResources`
 * applications, guest objects, user actions, device filters, authentication flows), judged for a
 * Global Administrator service account in different groups.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECKS, evaluatePolicy, getProfile } from "../../../lib/checks/index.js";
import type { CaEffect, CaFinding, CaPolicy, GroupRef, TenantFacts } from "../../../lib/model/index.js";
import { context, facts, failed, membership, ok } from "./builders.js";

const DATA = "../../../sim/estate/baseline/";
const read = (file: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(DATA + file, import.meta.url)), "utf8"));
const POLICIES = read("conditional-access-policies.json") as CaPolicy[];
const GROUPS = read("groups.json") as GroupRef[];

function group(name: string): GroupRef {
  const g = GROUPS.find((x) => x.displayName === name);
  if (!g) throw new Error(`no group ${name} in the baseline`);
  return { id: g.id, displayName: g.displayName };
}

const BREAK_GLASS = group("CA-BreakGlassAccounts - Exclude");
const SERVICE_ACCOUNTS = group("CA-ServiceAccounts");

function withGroups(...groups: GroupRef[]): TenantFacts {
  return facts({ membership: ok(membership({ groups })), conditionalAccessPolicies: ok(POLICIES) });
}

function findings(f: TenantFacts): CaFinding[] {
  return [...(CHECKS["conditional-access"].run(f, getProfile("strict")!).findings ?? [])];
}

/** Effect per policy, keyed by the baseline's short code (CA000, CA101…). */
function effects(list: readonly CaFinding[]): Record<string, CaEffect> {
  return Object.fromEntries(list.map((x) => [x.policyName.slice(0, 5), x.effect]));
}

describe("the published Conditional Access baseline", () => {
  it("has the 36 policies, none disabled", () => {
    expect(POLICIES).toHaveLength(36);
  });

  it.each(POLICIES.map((p) => [p.displayName, p] as const))("evaluates %s without throwing", (_name, p) => {
    const f = evaluatePolicy(p, context(), getProfile("strict")!);
    expect(f?.reason.length).toBeGreaterThan(0);
  });

  it("blocks a Global Administrator in no exclusion group, and says why for each policy", () => {
    const list = findings(withGroups());
    expect(list).toHaveLength(36);
    expect(effects(list)).toMatchObject({
      CA000: "blocking", // All users, MFA, all apps
      CA001: "conditional", // block outside the allowed countries
      CA002: "not-applicable", // legacy authentication only
      CA003: "not-applicable", // user action: register or join devices
      CA004: "conditional", // device code flow / authentication transfer
      CA005: "conditional", // iOS and Android only, device filter
      CA006: "session-only", // app-enforced restrictions for browsers
      CA100: "not-applicable", // admin portals
      CA101: "blocking", // MFA for admin roles
      CA102: "session-only", // sign-in frequency
      CA104: "not-applicable", // the None application
      CA105: "report-only", // phishing-resistant MFA, report-only
      CA200: "not-targeted", // the E5 licence group
      CA300: "not-targeted", // service accounts persona
      CA400: "not-targeted", // guests only
      CA501: "not-targeted", // agents (includeUsers None)
      CA502: "not-targeted",
    });
    const byCode = (code: string) => list.find((x) => x.policyName.startsWith(code));
    expect(byCode("CA000")).toMatchObject({ reason: "included via all users", controls: ["mfa"] });
    expect(byCode("CA101")?.reason).toBe("included via role Global Administrator");
    expect(byCode("CA105")?.controls).toEqual(["authentication strength Phishing-resistant MFA"]);
    expect(byCode("CA001")?.conditions).toEqual(["locations: All except 1 location"]);
    expect(byCode("CA004")?.conditions).toEqual(["authentication flows: deviceCodeFlow, authenticationTransfer"]);
    expect(byCode("CA003")?.reason).toMatch(/only user actions \(urn:user:registerdevice\)/);
    expect(byCode("CA400")?.reason).toMatch(/only guests or external users/);
    expect(byCode("CA502")?.reason).toBe("targets no users (None)");
    expect(CHECKS["conditional-access"].run(withGroups(), getProfile("strict")!).status).toBe("fail");
  });

  it("never blocks an account in the break-glass exclusion group; only CA006, which forgets that group, sets session controls", () => {
    const list = findings(withGroups(BREAK_GLASS));
    const passing: CaEffect[] = ["excluded", "not-targeted", "not-applicable"];
    expect(list.filter((x) => !passing.includes(x.effect)).map((x) => [x.policyName.slice(0, 5), x.effect])).toEqual([["CA006", "session-only"]]);
    expect(effects(list)).toMatchObject({ CA000: "excluded", CA101: "excluded", CA105: "excluded", CA200: "not-targeted", CA501: "not-targeted" });
    expect(list.find((x) => x.policyName.startsWith("CA000"))?.reason).toBe("excluded via group CA-BreakGlassAccounts - Exclude");
    const r = CHECKS["conditional-access"].run(withGroups(BREAK_GLASS), getProfile("strict")!);
    expect(r).toMatchObject({ status: "warn", summary: "1 policy sets session controls" });
  });

  it("passes an account in every exclusion group it needs", () => {
    const r = CHECKS["conditional-access"].run(
      withGroups(BREAK_GLASS, group("CA006-Global-DataProtection-Office365-AnyPlatform-Browser-Unmanaged-AppEnforceRestrictions - Exclude")),
      getProfile("strict")!,
    );
    expect(r.status).toBe("pass");
    expect(r.summary).toBe("No policy applies to the account (36 policies checked)");
  });

  it("targets an account in the service-accounts persona group with the persona's own policies", () => {
    const list = findings(withGroups(SERVICE_ACCOUNTS, BREAK_GLASS));
    expect(effects(list)).toMatchObject({ CA000: "excluded", CA300: "excluded", CA301: "conditional" });
    expect(list.find((x) => x.policyName.startsWith("CA301"))).toMatchObject({ reason: "included via group CA-ServiceAccounts", controls: ["block"] });
    expect(CHECKS["conditional-access"].run(withGroups(SERVICE_ACCOUNTS, BREAK_GLASS), getProfile("strict")!).status).toBe("warn");

    const notExcluded = effects(findings(withGroups(SERVICE_ACCOUNTS)));
    expect(notExcluded).toMatchObject({ CA300: "blocking", CA301: "conditional" });
  });

  it("is unknown, not silent, when the account's groups cannot be read", () => {
    const f = facts({ membership: failed("forbidden", "Graph answered 403", "GroupMember.Read.All"), conditionalAccessPolicies: ok(POLICIES) });
    const r = CHECKS["conditional-access"].run(f, getProfile("strict")!);
    // CA000 excludes groups: the account may be in one, so its verdict is open, not blocking.
    expect(effects(r.findings ?? [])).toMatchObject({ CA000: "unknown", CA002: "not-applicable", CA501: "not-targeted" });
    expect(r.status).toBe("unknown");
    expect(r.reason).toMatch(/GroupMember\.Read\.All/);
  });
});
