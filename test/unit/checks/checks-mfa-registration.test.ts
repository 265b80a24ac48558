/** Every status of the mfa-registration check, under both profiles where they differ. */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/index.js";
import type { AuthMethodFact, Profile } from "../../../lib/model/index.js";
import { ACCOUNT_ID, COLLECTED_AT, facts, GROUP, ok } from "./builders.js";
import type { Row } from "./checks-helpers.js";
import { enrolled, expectRow, forbidden, notFound, strict, turnedOff } from "./checks-helpers.js";

const method = (type: string, label: string | null = null): AuthMethodFact => ({ id: `${type}-1`, type, label });
const PASSWORD = method("passwordAuthenticationMethod");
const withMethods = (...m: AuthMethodFact[]) => ok([PASSWORD, ...m]);
const campaign = (state: string, include: { id: string; targetType: string }[], exclude: { id: string; targetType: string }[] = []) =>
  ok({ state, snoozeDurationInDays: 1, includeTargets: include, excludeTargets: exclude });
const ALL_USERS = { id: "all_users", targetType: "group" };

describe("mfa-registration (R6)", () => {
  it.each<[string, Row, Profile]>([
    ["strict: only the password", { name: "", facts: facts(), status: "pass", summary: "Only the password is registered" }, strict],
    [
      "strict: Authenticator registered",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("microsoftAuthenticatorAuthenticationMethod", "iPhone 15")) }),
        status: "warn",
        summary: "1 method is registered besides the password",
        reason: /Microsoft Authenticator \(iPhone 15\)/,
      },
      strict,
    ],
    [
      "strict: email only is still a method besides the password",
      { name: "", facts: facts({ authMethods: withMethods(method("emailAuthenticationMethod")) }), status: "warn", reason: /email \(password reset only\)/ },
      strict,
    ],
    [
      "strict: enabled campaign for all users",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [ALL_USERS]) }),
        status: "warn",
        summary: "The registration campaign targets the account",
        reason: /via all users/,
      },
      strict,
    ],
    [
      "strict: enabled campaign for a group the account is in",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [{ id: GROUP.automation.id, targetType: "group" }]) }),
        status: "warn",
        reason: /via group Automation accounts/,
      },
      strict,
    ],
    [
      "strict: enabled campaign for the account itself",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [{ id: ACCOUNT_ID, targetType: "user" }]) }),
        status: "warn",
        reason: /the account itself/,
      },
      strict,
    ],
    [
      "strict: enabled campaign, account excluded via its group",
      {
        name: "",
        facts: facts({ registrationCampaign: campaign("enabled", [ALL_USERS], [{ id: GROUP.automation.id, targetType: "group" }]) }),
        status: "pass",
        evidence: /excludes the account via group Automation accounts/,
      },
      strict,
    ],
    [
      "strict: enabled campaign for another group",
      { name: "", facts: facts({ registrationCampaign: campaign("enabled", [{ id: GROUP.other.id, targetType: "group" }]) }), status: "pass" },
      strict,
    ],
    [
      "strict: Microsoft-managed campaign, password only",
      { name: "", facts: facts({ registrationCampaign: campaign("default", [ALL_USERS]) }), status: "pass", evidence: /Microsoft-managed/ },
      strict,
    ],
    [
      "strict: Microsoft-managed campaign, phone registered",
      {
        name: "",
        facts: facts({
          authMethods: withMethods(method("phoneAuthenticationMethod", "+1 XXXXXXXX12")),
          registrationCampaign: campaign("default", [ALL_USERS]),
        }),
        status: "warn",
        reason: /Microsoft-managed registration campaign targets the account/,
      },
      strict,
    ],
    [
      "strict: campaign targets a group, membership unreadable",
      {
        name: "",
        facts: facts({
          membership: forbidden("GroupMember.Read.All"),
          registrationCampaign: campaign("enabled", [{ id: GROUP.automation.id, targetType: "group" }]),
        }),
        status: "unknown",
      },
      strict,
    ],
    [
      "strict: campaign unreadable",
      { name: "", facts: facts({ registrationCampaign: forbidden("Policy.Read.All") }), status: "unknown", reason: /Policy\.Read\.All/ },
      strict,
    ],
    [
      "strict: methods unreadable",
      {
        name: "",
        facts: facts({ authMethods: forbidden("UserAuthenticationMethod.Read.All") }),
        status: "unknown",
        reason: /UserAuthenticationMethod\.Read\.All/,
      },
      strict,
    ],
    [
      "strict: methods unreadable, registration report says registered",
      {
        name: "",
        facts: facts({
          authMethods: forbidden("UserAuthenticationMethod.Read.All"),
          registrationDetails: ok({
            isMfaRegistered: true,
            isMfaCapable: true,
            methodsRegistered: ["microsoftAuthenticatorPush"],
            lastUpdatedDateTime: COLLECTED_AT,
          }),
        }),
        status: "warn",
        evidence: /judged from the registration report/,
      },
      strict,
    ],
    [
      "enrolled: Authenticator registered",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("microsoftAuthenticatorAuthenticationMethod")) }),
        status: "pass",
        summary: "An MFA method is registered",
      },
      enrolled,
    ],
    [
      "enrolled: MFA registered, enabled campaign does not matter",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("softwareOathAuthenticationMethod")), registrationCampaign: campaign("enabled", [ALL_USERS]) }),
        status: "pass",
      },
      enrolled,
    ],
    ["enrolled: only the password", { name: "", facts: facts(), status: "fail", summary: "No MFA method is registered" }, enrolled],
    ["enrolled: email is not MFA", { name: "", facts: facts({ authMethods: withMethods(method("emailAuthenticationMethod")) }), status: "fail" }, enrolled],
    // A Temporary Access Pass is one-time and expires: it is not an MFA method the account keeps.
    [
      "enrolled: a Temporary Access Pass is not MFA",
      { name: "", facts: facts({ authMethods: withMethods(method("temporaryAccessPassAuthenticationMethod")) }), status: "fail" },
      enrolled,
    ],
    [
      "enrolled: a Temporary Access Pass and Authenticator",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("temporaryAccessPassAuthenticationMethod"), method("microsoftAuthenticatorAuthenticationMethod")) }),
        status: "pass",
      },
      enrolled,
    ],
    [
      "enrolled: an untyped method is not MFA",
      { name: "", facts: facts({ authMethods: withMethods(method("authenticationMethod")) }), status: "fail" },
      enrolled,
    ],
    [
      "enrolled: an empty method type is not MFA",
      { name: "", facts: facts({ authMethods: withMethods(method("")) }), status: "fail", evidence: /methods: password, method of unknown type/ },
      enrolled,
    ],
    [
      "enrolled: methods unreadable, report lists only a Temporary Access Pass",
      {
        name: "",
        facts: facts({
          authMethods: forbidden("UserAuthenticationMethod.Read.All"),
          registrationDetails: ok({ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: ["temporaryAccessPass"], lastUpdatedDateTime: null }),
        }),
        status: "fail",
      },
      enrolled,
    ],
    [
      "strict: a Temporary Access Pass still warns as a method besides the password",
      {
        name: "",
        facts: facts({ authMethods: withMethods(method("temporaryAccessPassAuthenticationMethod")) }),
        status: "warn",
        reason: /Temporary Access Pass/,
      },
      strict,
    ],
    [
      "enrolled: methods unreadable, report says registered",
      {
        name: "",
        facts: facts({
          authMethods: forbidden("UserAuthenticationMethod.Read.All"),
          registrationDetails: ok({ isMfaRegistered: true, isMfaCapable: true, methodsRegistered: ["softwareOneTimePasscode"], lastUpdatedDateTime: null }),
        }),
        status: "pass",
      },
      enrolled,
    ],
    ["enrolled: methods unreadable", { name: "", facts: facts({ authMethods: forbidden("UserAuthenticationMethod.Read.All") }), status: "unknown" }, enrolled],
    ["account not found", { name: "", facts: facts(notFound), status: "skipped" }, enrolled],
    [
      "turned off",
      { name: "", facts: facts({ authMethods: withMethods(method("fido2AuthenticationMethod")) }), status: "skipped" },
      turnedOff("mfa-registration"),
    ],
  ])("%s", (_n, row, profile) => expectRow("mfa-registration", row, profile));

  it("uses the registration report as evidence, never as a requirement", () => {
    const r = CHECKS["mfa-registration"].run(
      facts({ registrationDetails: ok({ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: COLLECTED_AT }) }),
      strict,
    );
    expect(r.status).toBe("pass");
    expect(r.evidence).toContain(`registration report: isMfaRegistered false, methods none (updated ${COLLECTED_AT})`);
  });
});
