/** Each fixable check's planner: from the resource as Graph answered it to the exact request, before and after. */
import { describe, expect, it } from "vitest";
import type { CaPolicy } from "../../../lib/model/index.js";
import { planPolicyExclusion, policyDeletionRemediation } from "../../../lib/checks/conditional-access/remediation.js";
import { planPerUserMfaDisable } from "../../../lib/checks/per-user-mfa/remediation.js";
import { planCampaignExclusion } from "../../../lib/checks/mfa-registration/remediation.js";
import { planPasswordNeverExpires, withNeverExpires } from "../../../lib/checks/password-expiry/remediation.js";
import { securityDefaultsRemediation } from "../../../lib/checks/security-defaults/remediation.js";
import { isManual, type JsonObject, type Remediation, type RemediationPlan } from "../../../lib/remediation/plan.js";

const ACCOUNT = "d7f10200-0000-4000-8000-000000000001";
const OTHER = "d7f10200-0000-4000-8000-000000000009";

function policy(displayName: string, users: Record<string, unknown> | null): CaPolicy {
  return {
    id: "d7f30200-0000-4000-8000-000000000002",
    displayName,
    state: "enabled",
    conditions: users === null ? null : { users, applications: { includeApplications: ["All"] } },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
    sessionControls: null,
  };
}

function plan(r: Remediation): RemediationPlan {
  if (isManual(r)) throw new Error(`expected a plan, got manual: ${r.manual}`);
  return r;
}

describe("Conditional Access: exclude the account", () => {
  it.each([
    ["no exclusions yet", { includeUsers: ["All"], excludeUsers: [] }, [], [ACCOUNT]],
    ["excludeUsers null", { includeUsers: ["All"], excludeUsers: null }, null, [ACCOUNT]],
    ["excludeUsers absent", { includeUsers: ["All"] }, null, [ACCOUNT]],
    ["another user excluded: kept", { includeUsers: ["All"], excludeUsers: [OTHER] }, [OTHER], [OTHER, ACCOUNT]],
    ["already excluded (other case): unchanged", { excludeUsers: [ACCOUNT.toUpperCase()] }, [ACCOUNT.toUpperCase()], [ACCOUNT.toUpperCase()]],
  ])("%s", (_name, users, before, after) => {
    const p = plan(planPolicyExclusion({ policy: policy("CA02 - Require MFA for all users", users), accountId: ACCOUNT }));
    expect(p.request).toEqual({
      method: "PATCH",
      version: "v1.0",
      url: "/identity/conditionalAccess/policies/d7f30200-0000-4000-8000-000000000002",
      body: { conditions: { users: { excludeUsers: after } } },
    });
    expect(p.before).toEqual({ conditions: { users: { excludeUsers: before } } });
    expect(p.after).toEqual({ conditions: { users: { excludeUsers: after } } });
    expect(p.read.url).toBe(p.request.url);
    expect(p.permissions).toEqual(["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]);
    expect(p.documentation).toContain("conditionalaccesspolicy-update");
  });

  it("a Microsoft-managed policy gets the same request, and says so", () => {
    const p = plan(planPolicyExclusion({ policy: policy("Microsoft-managed: MFA for admins", { includeRoles: ["x"], excludeUsers: [] }), accountId: ACCOUNT }));
    expect(p.request.body).toEqual({ conditions: { users: { excludeUsers: [ACCOUNT] } } });
    expect(p.description).toContain("Microsoft-managed");
  });

  it("a policy whose users could not be read stays manual", () => {
    expect(isManual(planPolicyExclusion({ policy: policy("CA09", null), accountId: ACCOUNT }))).toBe(true);
  });

  it("deleting a policy and turning Security Defaults off are manual, and say why", () => {
    expect(policyDeletionRemediation({ displayName: "CA02" }).manual).toMatch(/every user it covers/);
    expect(securityDefaultsRemediation().manual).toMatch(/every user of the tenant/);
  });
});

describe("per-user MFA: disable", () => {
  it.each([
    ["enforced", "enforced"],
    ["enabled", "enabled"],
    ["already disabled", "disabled"],
  ] as const)("%s", (_name, state) => {
    const p = plan(planPerUserMfaDisable({ requirements: { perUserMfaState: state }, accountId: ACCOUNT }));
    expect(p.request).toEqual({
      method: "PATCH",
      version: "beta",
      url: `/users/${ACCOUNT}/authentication/requirements`,
      body: { perUserMfaState: "disabled" },
    });
    expect(p.before).toEqual({ perUserMfaState: state });
    expect(p.after).toEqual({ perUserMfaState: "disabled" });
    expect(p.permissions).toEqual(["Policy.ReadWrite.AuthenticationMethod"]);
  });
});

describe("registration campaign: exclude the account", () => {
  const methodsPolicy = (campaign: JsonObject | null): JsonObject => ({
    id: "authenticationMethodsPolicy",
    registrationEnforcement: campaign === null ? null : { authenticationMethodsRegistrationCampaign: campaign },
  });
  const GROUP = { id: "d7f20200-0000-4000-8000-000000000001", targetType: "group" };

  it.each([
    ["no exclusions", { state: "enabled", excludeTargets: [] }, [], [{ id: ACCOUNT, targetType: "user" }]],
    ["a group excluded: kept", { state: "default", excludeTargets: [GROUP] }, [GROUP], [GROUP, { id: ACCOUNT, targetType: "user" }]],
    [
      "already excluded",
      { excludeTargets: [{ id: ACCOUNT, targetType: "user" }] },
      [{ id: ACCOUNT, targetType: "user" }],
      [{ id: ACCOUNT, targetType: "user" }],
    ],
  ])("%s", (_name, campaign, before, after) => {
    const p = plan(planCampaignExclusion({ policy: methodsPolicy(campaign), accountId: ACCOUNT }));
    const body = { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { excludeTargets: after } } };
    expect(p.request).toEqual({ method: "PATCH", version: "v1.0", url: "/policies/authenticationMethodsPolicy", body });
    expect(p.before).toEqual({ registrationEnforcement: { authenticationMethodsRegistrationCampaign: { excludeTargets: before } } });
    expect(p.after).toEqual(body);
    expect(p.permissions).toEqual(["Policy.ReadWrite.AuthenticationMethod"]);
  });

  it("unreadable campaign settings stay manual", () => {
    expect(isManual(planCampaignExclusion({ policy: methodsPolicy(null), accountId: ACCOUNT }))).toBe(true);
  });
});

describe("password expiry: DisablePasswordExpiration", () => {
  it.each([
    [null, "DisablePasswordExpiration"],
    ["None", "DisablePasswordExpiration"],
    ["DisableStrongPassword", "DisablePasswordExpiration, DisableStrongPassword"],
    ["DisablePasswordExpiration, DisableStrongPassword", "DisablePasswordExpiration, DisableStrongPassword"],
  ])("passwordPolicies %s → %s", (current, next) => {
    expect(withNeverExpires(current)).toBe(next);
    const p = plan(planPasswordNeverExpires({ account: { id: ACCOUNT, passwordPolicies: current } }));
    expect(p.request).toEqual({
      method: "PATCH",
      version: "v1.0",
      url: `/users/${ACCOUNT}`,
      body: { passwordPolicies: current?.includes("DisablePasswordExpiration") ? current : next },
    });
    expect(p.before).toEqual({ passwordPolicies: current });
    expect(p.read.url).toBe(`/users/${ACCOUNT}?$select=id,passwordPolicies`);
    expect(p.permissions).toEqual(["User.ReadWrite.All"]);
  });

  it("an expired password stays manual: the flag does not bring it back", () => {
    const r = planPasswordNeverExpires({ account: { id: ACCOUNT, passwordPolicies: null }, expired: true });
    expect(isManual(r) && r.manual).toMatch(/already expired/);
  });
});
