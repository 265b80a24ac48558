/** Every status of the conditional-access check, under both profiles where they differ. */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/index.js";
import { facts, failed, GROUP, ok, policy, ROLE } from "./builders.js";
import { both, expectRow, forbidden, notFound, strict } from "./checks-helpers.js";

describe("conditional-access (R5)", () => {
  const excluded = policy({
    id: "p-excluded",
    displayName: "Excluded",
    conditions: { users: { includeUsers: ["All"], excludeGroups: [GROUP.automation.id] } },
  });
  const blocking = policy({ id: "p-block", displayName: "Require MFA for admins" });
  const conditional = policy({
    id: "p-cond",
    displayName: "Block outside trusted",
    conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } },
  });
  const reportOnly = policy({ id: "p-ro", displayName: "Phishing-resistant MFA", state: "enabledForReportingButNotEnforced" });
  const session = policy({
    id: "p-sess",
    displayName: "Sign-in frequency",
    grantControls: null,
    sessionControls: { signInFrequency: { value: 4, type: "hours", isEnabled: true } },
  });
  const disabled = policy({ id: "p-off", displayName: "Off", state: "disabled" });
  const byGroup = policy({ id: "p-grp", displayName: "Admins by group", conditions: { users: { includeGroups: [GROUP.admins.id] } } });
  const byRole = policy({ id: "p-role", displayName: "Exchange admins", conditions: { users: { includeRoles: [ROLE.exchangeAdmin] } } });
  const cap = (...p: ReturnType<typeof policy>[]) => facts({ conditionalAccessPolicies: ok(p) });

  it.each(
    both([
      { name: "no policies", facts: cap(), status: "pass", summary: "No enabled Conditional Access policy" },
      { name: "excluded from every policy", facts: cap(excluded, disabled), status: "pass", summary: "No policy applies to the account (1 policy checked)" },
      {
        name: "one blocking policy",
        facts: cap(excluded, blocking, conditional),
        status: "fail",
        summary: "1 policy blocks the account",
        reason: /"Require MFA for admins": included via all users \(requires mfa\)/,
      },
      { name: "two blocking policies", facts: cap(blocking, { ...blocking, id: "p-2" }), status: "fail", summary: "2 policies block the account" },
      { name: "conditional", facts: cap(excluded, conditional), status: "warn", summary: "1 policy applies conditionally" },
      { name: "report-only", facts: cap(reportOnly), status: "warn", summary: "1 policy is report-only" },
      { name: "session-only", facts: cap(session), status: "warn", summary: "1 policy sets session controls" },
      {
        name: "all three warnings",
        facts: cap(conditional, reportOnly, session),
        status: "warn",
        summary: "1 policy applies conditionally, 1 is report-only, 1 sets session controls",
      },
      {
        name: "policies unreadable",
        facts: facts({ conditionalAccessPolicies: forbidden("Policy.Read.All") }),
        status: "unknown",
        reason: /Policy\.Read\.All/,
      },
      { name: "policies need a licence", facts: facts({ conditionalAccessPolicies: failed("unlicensed", "The tenant needs Entra ID P1") }), status: "skipped" },
      {
        name: "verdict depends on unreadable groups",
        facts: facts({ conditionalAccessPolicies: ok([byGroup, conditional]), membership: forbidden("GroupMember.Read.All") }),
        status: "unknown",
        summary: "1 policy depends on membership that could not be read",
        reason: /GroupMember\.Read\.All/,
      },
      {
        name: "role-targeted policy, direct assignments unreadable: memberOf is the complete role set",
        facts: facts({ conditionalAccessPolicies: ok([byRole]), roleAssignments: forbidden("RoleManagement.Read.Directory") }),
        status: "pass",
      },
      { name: "account not found", facts: { ...cap(blocking), ...notFound }, status: "skipped" },
    ]),
  )("%s", (_n, row, profile) => expectRow("conditional-access", row, profile));

  it("lists every enabled and report-only policy, never a disabled one, with a fix that links each policy", () => {
    const r = CHECKS["conditional-access"].run(cap(excluded, blocking, reportOnly, disabled), strict);
    expect(r.findings?.map((f) => [f.policyId, f.effect])).toEqual([
      ["p-excluded", "excluded"],
      ["p-block", "blocking"],
      ["p-ro", "report-only"],
    ]);
    expect(r.findings?.[0]?.reason).toBe("excluded via group Automation accounts");
    expect(r.remediation).toContain("https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/p-block");
    expect(r.remediation).toContain("Users → Exclude");
    expect(r.remediation).not.toContain("p-excluded");
  });
});
