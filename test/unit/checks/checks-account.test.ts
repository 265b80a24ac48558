/** Every status of the account, admin-role, security-defaults and per-user-mfa checks, under both profiles where they differ. */
import { describe, it } from "vitest";
import type { Profile } from "../../../lib/model/index.js";
import { account, facts, failed, gaAssignment, membership, ok } from "./builders.js";
import type { Row } from "./checks-helpers.js";
import { both, enrolled, expectRow, forbidden, notFound, strict, turnedOff } from "./checks-helpers.js";

describe("account (R1)", () => {
  it.each(
    both([
      { name: "exists, enabled, cloud-only", facts: facts(), status: "pass", summary: "The account exists, is enabled and cloud-only" },
      { name: "not found (404)", facts: facts(notFound), status: "fail", summary: "The account does not exist", reason: /404/ },
      { name: "disabled", facts: facts({ account: ok(account({ accountEnabled: false })) }), status: "fail", summary: "The account is disabled" },
      {
        name: "synced",
        facts: facts({ account: ok(account({ onPremisesSyncEnabled: true })) }),
        status: "fail",
        summary: "The account is synced from on-premises",
      },
      { name: "unreadable", facts: facts({ account: forbidden("User.Read.All") }), status: "unknown", reason: /User\.Read\.All/ },
      { name: "accountEnabled missing", facts: facts({ account: ok(account({ accountEnabled: null })) }), status: "unknown" },
    ]),
  )("%s", (_n, row, profile) => expectRow("account", row, profile));

  it("is skipped when the profile turns it off", () => {
    expectRow("account", { name: "", facts: facts(), status: "skipped", summary: "Turned off by profile custom" }, turnedOff("account"));
  });
});

describe("admin-role (R2)", () => {
  const noRoles = ok(membership({ roles: [] }));
  const P2_REASON = "The tenant has no Entra ID P2 or Microsoft Entra ID Governance licence, which the account's eligible roles needs";
  it.each(
    both([
      { name: "active via transitiveMemberOf", facts: facts({ roleAssignments: ok([]) }), status: "pass", evidence: /role membership/ },
      { name: "active via direct assignment only", facts: facts({ membership: noRoles }), status: "pass", evidence: /direct active assignment/ },
      { name: "memberOf unreadable, direct assignment seen", facts: facts({ membership: forbidden("GroupMember.Read.All") }), status: "pass" },
      {
        name: "not held",
        facts: facts({ membership: noRoles, roleAssignments: ok([]) }),
        status: "fail",
        summary: "The account does not hold Global Administrator",
      },
      {
        name: "assignment scoped to an administrative unit",
        facts: facts({ membership: noRoles, roleAssignments: ok([gaAssignment({ directoryScopeId: "/administrativeUnits/x" })]) }),
        status: "fail",
      },
      {
        name: "only PIM-eligible",
        facts: facts({ membership: noRoles, roleAssignments: ok([]), roleEligibility: ok([gaAssignment()]) }),
        status: "fail",
        summary: "Global Administrator is only PIM-eligible, not active",
      },
      {
        name: "not held, eligibility unreadable",
        facts: facts({ membership: noRoles, roleAssignments: ok([]), roleEligibility: forbidden("RoleManagement.Read.Directory") }),
        status: "fail",
        reason: /PIM eligibility could not be read/,
      },
      {
        name: "active, eligibility not licensed (no Entra ID P2)",
        facts: facts({ roleEligibility: failed("unlicensed", P2_REASON) }),
        status: "pass",
        summary: "Global Administrator is active",
      },
      {
        name: "not held, eligibility not licensed (no Entra ID P2): a fail, not unknown",
        facts: facts({ membership: noRoles, roleAssignments: ok([]), roleEligibility: failed("unlicensed", P2_REASON) }),
        status: "fail",
        summary: "The account does not hold Global Administrator",
        reason: /PIM eligibility is not licensed.*Entra ID P2 or Microsoft Entra ID Governance/,
      },
      {
        name: "seen in memberOf, assignments unreadable",
        facts: facts({ roleAssignments: forbidden("RoleManagement.Read.Directory") }),
        status: "pass",
        evidence: /role membership/,
      },
      {
        name: "not seen, assignments unreadable",
        facts: facts({ membership: noRoles, roleAssignments: forbidden("RoleManagement.Read.Directory") }),
        status: "unknown",
        reason: /RoleManagement\.Read\.Directory/,
      },
      { name: "account not found", facts: facts(notFound), status: "skipped", summary: "Skipped: the account does not exist" },
      { name: "account unreadable", facts: facts({ account: forbidden("User.Read.All") }), status: "unknown" },
    ]),
  )("%s", (_n, row, profile) => expectRow("admin-role", row, profile));
});

describe("security-defaults (R3)", () => {
  const on = facts({ securityDefaults: ok({ isEnabled: true }) });
  it.each<[string, Row, Profile]>([
    ["strict: disabled", { name: "", facts: facts(), status: "pass", summary: "Security Defaults are disabled" }, strict],
    ["strict: enabled", { name: "", facts: on, status: "fail", summary: "Security Defaults are enabled" }, strict],
    ["enrolled: enabled", { name: "", facts: on, status: "pass", summary: "Security Defaults are enabled" }, enrolled],
    ["enrolled: disabled", { name: "", facts: facts(), status: "pass" }, enrolled],
    ["a profile expecting them on: disabled", { name: "", facts: facts(), status: "fail" }, { ...strict, securityDefaults: "enabled" }],
    ["unreadable", { name: "", facts: facts({ securityDefaults: forbidden("Policy.Read.All") }), status: "unknown", reason: /Policy\.Read\.All/ }, strict],
    ["turned off", { name: "", facts: on, status: "skipped" }, turnedOff("security-defaults")],
    [
      "tenant-wide: judged even without the account",
      { name: "", facts: facts({ ...notFound, securityDefaults: ok({ isEnabled: true }) }), status: "fail" },
      strict,
    ],
  ])("%s", (_n, row, profile) => expectRow("security-defaults", row, profile));
});

describe("per-user-mfa (R4)", () => {
  it.each(
    both([
      { name: "disabled", facts: facts(), status: "pass", summary: "Per-user MFA is disabled" },
      { name: "enabled", facts: facts({ perUserMfa: ok({ perUserMfaState: "enabled" }) }), status: "fail", summary: "Per-user MFA is enabled" },
      { name: "enforced", facts: facts({ perUserMfa: ok({ perUserMfaState: "enforced" }) }), status: "fail", summary: "Per-user MFA is enforced" },
      { name: "unreadable", facts: facts({ perUserMfa: forbidden("Policy.Read.All") }), status: "unknown", reason: /Policy\.Read\.All/ },
      { name: "account not found", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_n, row, profile) => expectRow("per-user-mfa", row, profile));
});
