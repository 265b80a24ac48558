/**
 * The mfa-registration verdicts under both profiles around Microsoft's dates (2026-09-01 passkeys by
 * default, 2027-02-01 the end of SMS and voice): which are mailed as an early warning, which fail.
 * The rules themselves: sms-voice-retirement.test.ts.
 */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../lib/checks/index.js";
import { checkOf } from "../../../lib/checks/registry.js";
import type { AuthMethodFact, CheckStatus, Profile } from "../../../lib/model/index.js";
import { ALL_USERS, SELF, campaign, PASSKEYS, RETIREMENT } from "./campaign-builders.js";
import { facts, ok } from "./builders.js";
import { enrolled, forbidden, strict } from "./checks-helpers.js";

const PHONE = "phoneAuthenticationMethod";
const AUTHENTICATOR = "microsoftAuthenticatorAuthenticationMethod";

describe("mfa-registration with the passkey campaign and the end of SMS and voice", () => {
  const method = (type: string): AuthMethodFact => ({ id: `${type}-1`, type, label: null });
  const methods = (...types: string[]) => ok([method("passwordAuthenticationMethod"), ...types.map(method)]);
  const early = checkOf("mfa-registration")?.earlyWarning;
  it.each<[string, Profile, string, Partial<Parameters<typeof facts>[0]>, CheckStatus, RegExp, boolean]>([
    [
      "strict: phone only, Microsoft-managed campaign, before",
      strict,
      PASSKEYS,
      { authMethods: methods(PHONE), registrationCampaign: ok(campaign("default")) },
      "warn",
      /^Microsoft ends SMS and voice on 2027-02-01/,
      true,
    ],
    [
      "strict: phone only, Microsoft-managed campaign, from the date",
      strict,
      RETIREMENT,
      { authMethods: methods(PHONE), registrationCampaign: ok(campaign("default")) },
      "fail",
      /since 2027-02-01 its sign-in stops/,
      false,
    ],
    [
      "strict: phone only, account excluded from the campaign, from the date",
      strict,
      RETIREMENT,
      { authMethods: methods(PHONE), registrationCampaign: ok(campaign("default", [ALL_USERS], [SELF])) },
      "fail",
      /stops for a passkey/,
      false,
    ],
    ["strict: phone only, campaign disabled, before", strict, PASSKEYS, { authMethods: methods(PHONE) }, "warn", /^Microsoft ends SMS/, true],
    [
      "strict: phone only, campaign unreadable, before",
      strict,
      PASSKEYS,
      { authMethods: methods(PHONE), registrationCampaign: forbidden("Policy.Read.All") },
      "warn",
      /^Microsoft ends SMS/,
      true,
    ],
    [
      "strict: phone and Authenticator, Microsoft-managed campaign: the nudge, never a date",
      strict,
      RETIREMENT,
      { authMethods: methods(PHONE, AUTHENTICATOR), registrationCampaign: ok(campaign("default")) },
      "warn",
      /^2 methods are registered besides the password$/,
      false,
    ],
    [
      "strict: password only, Microsoft-managed campaign",
      strict,
      RETIREMENT,
      { registrationCampaign: ok(campaign("default")) },
      "pass",
      /^Only the password/,
      false,
    ],
    [
      "strict: enabled passkey campaign for all users, password only",
      strict,
      PASSKEYS,
      { registrationCampaign: ok(campaign("enabled")) },
      "warn",
      /^The registration campaign targets the account$/,
      false,
    ],
    ["enrolled: phone only, before", enrolled, PASSKEYS, { authMethods: methods(PHONE) }, "warn", /^Microsoft ends SMS/, true],
    ["enrolled: phone only, from the date", enrolled, RETIREMENT, { authMethods: methods(PHONE) }, "fail", /stops for a passkey/, false],
    [
      "enrolled: phone and a software OATH token, from the date",
      enrolled,
      RETIREMENT,
      { authMethods: methods(PHONE, "softwareOathAuthenticationMethod") },
      "pass",
      /^An MFA method/,
      false,
    ],
    [
      "enrolled: methods unreadable, the report lists only a mobile phone, before",
      enrolled,
      PASSKEYS,
      {
        authMethods: forbidden("UserAuthenticationMethod.Read.All"),
        registrationDetails: ok({ isMfaRegistered: true, isMfaCapable: true, methodsRegistered: ["mobilePhone"], lastUpdatedDateTime: null }),
      },
      "warn",
      /^Microsoft ends SMS/,
      true,
    ],
    [
      "enrolled: the report lists a mobile phone and security questions (password reset only), from the date",
      enrolled,
      RETIREMENT,
      {
        authMethods: forbidden("UserAuthenticationMethod.Read.All"),
        registrationDetails: ok({
          isMfaRegistered: true,
          isMfaCapable: true,
          methodsRegistered: ["mobilePhone", "securityQuestion"],
          lastUpdatedDateTime: null,
        }),
      },
      "fail",
      /stops for a passkey/,
      false,
    ],
  ])("%s", (_n, profile, now, over, status, summary, mailed) => {
    const r = CHECKS["mfa-registration"].run(facts({ collectedAt: now, ...over }), profile);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(early?.(r) ?? false).toBe(mailed);
    // The retirement's own step only with the retirement's verdict.
    const retired = /SMS and voice|stops for a passkey/.test(r.summary);
    if (r.status !== "pass") expect(/A phone as the only MFA method: delete it/.test(r.remediation ?? "")).toBe(retired);
  });

  it("strict, phone only: the reason carries the other findings after the date's", () => {
    const over = { collectedAt: PASSKEYS, authMethods: methods(PHONE), registrationCampaign: ok(campaign("default")) };
    const r = CHECKS["mfa-registration"].run(facts(over), strict);
    expect(r.reason).toMatch(
      /Already the Microsoft-managed registration campaign targets the account via all users, nudging it to register a passkey after MFA/,
    );
    expect(r.reason).toMatch(/Also: 1 method besides the password: phone; the Microsoft-managed registration campaign targets the account/);
  });
});
