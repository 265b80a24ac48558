/**
 * Microsoft ends the SMS and voice calls it provides for MFA, and makes passkeys the default
 * (learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement):
 *
 * - "Starting September 1, 2026, passkeys become the default authentication experience and will be
 *   automatically enabled for users enabled for SMS or voice." The registration campaign is set to
 *   the Microsoft managed state targeting passkeys and brings those users into scope; the nudge can
 *   be snoozed without limit.
 * - "From February 1, 2027, Microsoft-provided telecom delivery for SMS and voice will be retired."
 *   After it, "Users whose only available MFA method is SMS or voice will be required to register a
 *   passkey during sign-in to continue accessing their account. This prompt will be blocking."
 *   "There is no opt out from this February 1 behavior. It will be enforced for all tenants."
 *
 * An unattended sign-in cannot register a passkey, so an account whose only MFA method is a phone
 * is blocked from 2027-02-01: a warning before (mailed once: the summary never changes), a failure
 * from that day. Excluding the account from the registration campaign or disabling it ends the
 * nudge, not this: Microsoft gives no opt out. What ends it is another MFA method, no phone method
 * (the strict profile wants none), or a customer-managed telecom provider, which Graph does not show.
 */
import { day } from "../deadlines.js";

/** The day Microsoft switched passkeys on for SMS and voice users, with a Microsoft-managed passkey campaign (UTC). */
export const PASSKEYS_BY_DEFAULT = Date.UTC(2026, 8, 1);
/** The day Microsoft-provided SMS and voice end and passkey registration becomes blocking for phone-only users (UTC). */
const SMS_VOICE_RETIRED = Date.UTC(2027, 1, 1);

export const SMS_VOICE_URL = "https://learn.microsoft.com/entra/identity/authentication/concept-sms-voice-retirement";

/** A phone method, by the methods list's type and by the registration report's names. */
const PHONE: ReadonlySet<string> = new Set(["phoneAuthenticationMethod", "mobilePhone", "alternateMobilePhone", "officePhone"]);

export function isPhoneMethod(type: string): boolean {
  return PHONE.has(type);
}

/** The warning's summary: the same words on every run before the date, so it is mailed once. */
export const RETIREMENT_WARNING = `Microsoft ends SMS and voice on ${day(SMS_VOICE_RETIRED)}: the account's only MFA method is a phone`;
const RETIRED = `The account's only MFA method is a phone: since ${day(SMS_VOICE_RETIRED)} its sign-in stops for a passkey registration`;

export type Retirement = { readonly kind: "none" } | { readonly kind: "warn" | "fail"; readonly summary: string; readonly reason: string };

interface RetirementInput {
  /** The account's MFA methods (methods-list types or registration-report names), the password and non-MFA methods left out. */
  readonly mfaMethods: readonly string[];
  /** How the registration campaign stands for the account, in words, when it could be read. */
  readonly campaign: { readonly reaches: boolean | "unknown"; readonly why: string; readonly microsoftManaged: boolean } | null;
  readonly now: number;
}

export function smsVoiceRetirement({ mfaMethods, campaign, now }: RetirementInput): Retirement {
  if (mfaMethods.length === 0 || !mfaMethods.every(isPhoneMethod)) return { kind: "none" };
  const date = day(SMS_VOICE_RETIRED);
  const passed = now >= SMS_VOICE_RETIRED;
  const rule =
    `${passed ? "Since" : "From"} ${date} Microsoft-provided SMS and voice are retired, and a user whose only MFA method is SMS or voice must register ` +
    `a passkey before its sign-in continues ("This prompt will be blocking"; "There is no opt out from this February 1 behavior", ${SMS_VOICE_URL}). ` +
    "An unattended sign-in cannot register a passkey.";
  return { kind: passed ? "fail" : "warn", summary: passed ? RETIRED : RETIREMENT_WARNING, reason: rule + aboutCampaign(campaign, now) + EXCEPTION };
}

const EXCEPTION = " A tenant with a customer-managed telecom provider (Microsoft Security Store) keeps SMS and voice; Graph does not show one.";

/** The campaign beside the date: it may already nudge, but leaving it does not avoid the date. */
function aboutCampaign(campaign: RetirementInput["campaign"], now: number): string {
  if (campaign === null) return "";
  const why = `${campaign.why[0]?.toUpperCase() ?? ""}${campaign.why.slice(1)}`;
  if (campaign.reaches === "unknown") return ` ${why}; the date stands either way.`;
  if (!campaign.reaches) return ` ${why}: that ends the nudge, not this.`;
  // Microsoft managed since passkeys by default: "By default, users will have unlimited snoozes of the nudge prompt."
  const snoozable = campaign.microsoftManaged && now >= PASSKEYS_BY_DEFAULT ? " (a passkey nudge that can be snoozed until then)" : "";
  return ` Already ${campaign.why}${snoozable}.`;
}
