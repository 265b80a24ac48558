/**
 * The registration campaign in the passkey era and the end of Microsoft-provided SMS and voice:
 * the pure rules (which campaign takes the account, and the 2027-02-01 date), table-driven. The
 * check's verdicts they give: checks-mfa-registration-passkeys.test.ts.
 */
import { describe, expect, it } from "vitest";
import { campaignTargetsAccount } from "../../../lib/checks/mfa-registration/registration-campaign.js";
import { RETIREMENT_WARNING, smsVoiceRetirement } from "../../../lib/checks/mfa-registration/sms-voice-retirement.js";
import type { MembershipFact, RegistrationCampaignFact } from "../../../lib/model/index.js";
import { ALL_USERS, AUTOMATION, OTHER, SELF, campaign, PASSKEYS, RETIREMENT } from "./campaign-builders.js";
import { ACCOUNT_ID, membership, ok } from "./builders.js";
import { forbidden } from "./checks-helpers.js";

const BEFORE_PASSKEYS = "2026-08-31T23:59:59.000Z";
const BEFORE_RETIREMENT = "2027-01-31T23:59:59.999Z";
const at = (iso: string) => Date.parse(iso);
const PHONE = "phoneAuthenticationMethod";
const AUTHENTICATOR = "microsoftAuthenticatorAuthenticationMethod";

describe("campaignTargetsAccount: which campaign takes the account", () => {
  const readable = ok<MembershipFact>(membership());
  it.each<[string, RegistrationCampaignFact, string[] | null, string, boolean | "unknown", RegExp]>([
    ["disabled", campaign("disabled"), [PHONE], PASSKEYS, false, /is disabled/],
    ["a state Graph adds later", campaign("unknownFutureValue"), [PHONE], PASSKEYS, false, /is unknownFutureValue/],
    ["enabled, all users, passkey", campaign("enabled"), [], PASSKEYS, true, /via all users, nudging it to register a passkey after MFA/],
    [
      "enabled, Authenticator",
      campaign("enabled", [{ ...AUTOMATION, targetedAuthenticationMethod: "microsoftAuthenticator" }]),
      [],
      PASSKEYS,
      true,
      /group Automation accounts, nudging it to register Microsoft Authenticator/,
    ],
    ["enabled, the account itself", campaign("enabled", [SELF]), [], PASSKEYS, true, /via the account itself/],
    ["enabled, another group", campaign("enabled", [OTHER]), [], PASSKEYS, false, /does not include the account/],
    ["enabled, all users, the account excluded", campaign("enabled", [ALL_USERS], [SELF]), [], PASSKEYS, false, /excludes the account via the account itself/],
    [
      "enabled, all users, its group excluded",
      campaign("enabled", [ALL_USERS], [AUTOMATION]),
      [],
      PASSKEYS,
      false,
      /excludes the account via group Automation/,
    ],
    ["Microsoft-managed, no phone", campaign("default"), [AUTHENTICATOR], PASSKEYS, false, /Microsoft-managed and takes in only text-message or voice-call/],
    ["Microsoft-managed, methods unknown", campaign("default"), null, PASSKEYS, false, /Microsoft-managed/],
    [
      "Microsoft-managed, phone, before passkeys by default",
      campaign("default"),
      [PHONE],
      BEFORE_PASSKEYS,
      true,
      /Microsoft-managed registration campaign targets the account via all users, nudging it to register Microsoft Authenticator/,
    ],
    [
      "Microsoft-managed, phone, from passkeys by default",
      campaign("default"),
      [PHONE],
      PASSKEYS,
      true,
      /Microsoft-managed registration campaign targets the account via all users, nudging it to register a passkey/,
    ],
    ["Microsoft-managed, phone from the registration report", campaign("default"), ["mobilePhone"], PASSKEYS, true, /nudging it to register a passkey/],
    ["Microsoft-managed, phone, a group that is not the account's", campaign("default", [OTHER]), [PHONE], PASSKEYS, false, /does not include the account/],
    [
      "Microsoft-managed, phone, the account excluded",
      campaign("default", [ALL_USERS], [SELF]),
      [PHONE],
      PASSKEYS,
      false,
      /Microsoft-managed registration campaign excludes the account/,
    ],
  ])("%s", (_n, c, methods, now, targets, why) => {
    const v = campaignTargetsAccount(c, ACCOUNT_ID, readable, methods, at(now));
    expect(v.targets).toBe(targets);
    expect(v.why).toMatch(why);
  });

  it.each<[string, RegistrationCampaignFact, boolean | "unknown"]>([
    ["a group include is unknown without membership", campaign("default", [AUTOMATION]), "unknown"],
    ["a group exclusion is unknown without membership", campaign("default", [ALL_USERS], [AUTOMATION]), "unknown"],
    ["the account itself needs no membership", campaign("default", [SELF]), true],
    ["excluded by id needs no membership", campaign("default", [AUTOMATION], [SELF]), false],
  ])("membership unreadable: %s", (_n, c, targets) => {
    expect(campaignTargetsAccount(c, ACCOUNT_ID, forbidden("GroupMember.Read.All"), [PHONE], at(PASSKEYS)).targets).toBe(targets);
  });
});

describe("smsVoiceRetirement: an account whose only MFA method is a phone", () => {
  const reaches = { reaches: true as const, why: "the Microsoft-managed registration campaign targets the account via all users", microsoftManaged: true };
  const excluded = {
    reaches: false as const,
    why: "the Microsoft-managed registration campaign excludes the account via the account itself",
    microsoftManaged: true,
  };
  it.each<[string, string[], string, "none" | "warn" | "fail"]>([
    ["no MFA method", [], BEFORE_RETIREMENT, "none"],
    ["a phone and Authenticator", [PHONE, AUTHENTICATOR], RETIREMENT, "none"],
    ["a passkey only", ["fido2AuthenticationMethod"], RETIREMENT, "none"],
    ["a phone, months before", [PHONE], "2026-03-02T08:00:00.000Z", "warn"],
    ["a phone, the last instant before", [PHONE], BEFORE_RETIREMENT, "warn"],
    ["a phone, on the day", [PHONE], RETIREMENT, "fail"],
    ["a phone, after", [PHONE], "2027-06-01T00:00:00.000Z", "fail"],
    ["two phones (mobile and office), report names", ["mobilePhone", "officePhone"], RETIREMENT, "fail"],
    ["an alternate mobile phone, report name", ["alternateMobilePhone"], BEFORE_RETIREMENT, "warn"],
  ])("%s: %s", (_n, methods, now, kind) => {
    expect(smsVoiceRetirement({ mfaMethods: methods, campaign: null, now: at(now) }).kind).toBe(kind);
  });

  it("warns in the same words on every run before the date (so it is mailed once), and cites Microsoft", () => {
    const early = smsVoiceRetirement({ mfaMethods: [PHONE], campaign: null, now: at("2026-03-02T08:00:00Z") });
    const late = smsVoiceRetirement({ mfaMethods: [PHONE], campaign: reaches, now: at(BEFORE_RETIREMENT) });
    expect(early).toMatchObject({ kind: "warn", summary: RETIREMENT_WARNING });
    expect(late).toMatchObject({ kind: "warn", summary: RETIREMENT_WARNING });
    expect(RETIREMENT_WARNING).toBe("Microsoft ends SMS and voice on 2027-02-01: the account's only MFA method is a phone");
    expect(early.kind !== "none" && early.reason).toMatch(/concept-sms-voice-retirement.*An unattended sign-in cannot register a passkey/);
  });

  it("says the campaign already nudges (snoozable until the date), and that leaving the campaign does not avoid the date", () => {
    const nudged = smsVoiceRetirement({ mfaMethods: [PHONE], campaign: reaches, now: at(PASSKEYS) });
    expect(nudged.kind !== "none" && nudged.reason).toMatch(
      /Already the Microsoft-managed registration campaign targets .* \(a passkey nudge that can be snoozed until then\)\./,
    );
    const out = smsVoiceRetirement({ mfaMethods: [PHONE], campaign: excluded, now: at(RETIREMENT) });
    expect(out).toMatchObject({
      kind: "fail",
      reason: expect.stringMatching(/The Microsoft-managed registration campaign excludes the account .*: that ends the nudge, not this\./),
    });
  });

  it.each<[string, { reaches: boolean | "unknown"; why: string; microsoftManaged: boolean }, string, RegExp]>([
    [
      "Microsoft-managed before passkeys by default: no snooze promise",
      { ...reaches },
      BEFORE_PASSKEYS,
      /Already the Microsoft-managed .* via all users\. A tenant/,
    ],
    [
      "an enabled campaign: its snoozes are the tenant's",
      { reaches: true, why: "the registration campaign (enabled) targets the account", microsoftManaged: false },
      PASSKEYS,
      /Already the registration campaign \(enabled\) targets the account\. A tenant/,
    ],
    [
      "a campaign unknown for membership",
      {
        reaches: "unknown",
        why: "whether the registration campaign (enabled) targets the account depends on group membership that could not be read",
        microsoftManaged: false,
      },
      PASSKEYS,
      /Whether the registration campaign .* could not be read; the date stands either way\./,
    ],
    [
      "a disabled campaign",
      { reaches: false, why: "the registration campaign is disabled", microsoftManaged: false },
      PASSKEYS,
      /The registration campaign is disabled: that ends the nudge, not this\./,
    ],
  ])("the campaign beside the date: %s", (_n, c, now, reason) => {
    const r = smsVoiceRetirement({ mfaMethods: [PHONE], campaign: c, now: at(now) });
    expect(r.kind !== "none" && r.reason).toMatch(reason);
  });
});
