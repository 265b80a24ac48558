import { describe, expect, it } from "vitest";
import { evaluate, getProfile } from "../../../lib/checks/index.js";
import { CHECK_IDS, REGISTRY } from "../../../lib/checks/registry.js";
import type { TenantStatus, TenantFacts } from "../../../lib/model/index.js";
import { ACCOUNT_ID, COLLECTED_AT, facts, failed, ok, policy, TENANT_ID } from "./builders.js";

const strict = getProfile("strict")!;
const enrolled = getProfile("security-defaults-enrolled")!;

describe("evaluate", () => {
  it("reports a compliant tenant in the design's format", () => {
    const report = evaluate(facts(), strict);
    expect(report).toMatchObject({
      schemaVersion: 1,
      tenantId: TENANT_ID,
      checkedAt: COLLECTED_AT,
      profile: "strict",
      account: { id: ACCOUNT_ID, userPrincipalName: "svc-connect@contoso.com" },
      status: "compliant",
      warnings: 0,
    });
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    // Every check passes but the one strict does not judge (phishing-resistant: emergency access accounts only).
    expect(report.checks.filter((c) => c.status !== "pass").map((c) => [c.id, c.status])).toEqual([["phishing-resistant", "skipped"]]);
    expect(report.checks.find((c) => c.id === "security-defaults")?.summary).toBe("Security Defaults are disabled");
  });

  it.each<[string, TenantFacts, TenantStatus, number]>([
    ["a failing check drifts the tenant", facts({ conditionalAccessPolicies: ok([policy()]) }), "drifted", 0],
    ["fail wins over unknown", facts({ securityDefaults: ok({ isEnabled: true }), perUserMfa: failed("forbidden", "403", "Policy.Read.All") }), "drifted", 0],
    ["unknown without a failure", facts({ perUserMfa: failed("throttled", "Still 429 after retries") }), "unknown", 0],
    ["warnings are counted, not hidden", facts({ conditionalAccessPolicies: ok([policy({ state: "enabledForReportingButNotEnforced" })]) }), "compliant", 1],
    ["skipped checks do not drift it", facts({ signIns: failed("unlicensed", "Needs Entra ID P1") }), "compliant", 0],
  ])("%s", (_name, f, status, warnings) => {
    const report = evaluate(f, strict);
    expect(report.status).toBe(status);
    expect(report.warnings).toBe(warnings);
  });

  it("drifts when the account is gone, skipping the checks that need it", () => {
    const report = evaluate(facts({ account: ok(null) }), strict);
    expect(report.status).toBe("drifted");
    expect(report.account).toEqual({ id: null, userPrincipalName: null });
    // Derived from the registry, so a new check is held to it too: every check that reads the account is skipped.
    const expected = REGISTRY.map((c) => [c.meta.id, c.meta.id === "account" ? "fail" : c.meta.facts.includes("account") ? "skipped" : "pass"]);
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.status]))).toEqual(Object.fromEntries(expected));
  });

  it("judges the same facts differently per profile", () => {
    const f = facts({ securityDefaults: ok({ isEnabled: true }) });
    expect(evaluate(f, strict).status).toBe("drifted");
    // security-defaults-enrolled: Security Defaults pass either way, but the account has no MFA method.
    const r = evaluate(f, enrolled);
    expect(r.profile).toBe("security-defaults-enrolled");
    expect(r.checks.find((c) => c.id === "security-defaults")?.status).toBe("pass");
    expect(r.checks.find((c) => c.id === "mfa-registration")?.status).toBe("fail");
  });

  it("is pure: the same facts give the same report", () => {
    const f = facts({ conditionalAccessPolicies: ok([policy()]) });
    expect(evaluate(f, strict)).toEqual(evaluate(f, strict));
  });
});
