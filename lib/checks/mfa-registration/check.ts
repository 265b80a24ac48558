/**
 * R6: the account's MFA registration is what the profile expects. `none` (strict): only the
 * password; any other method, or a registration campaign that would nudge the account, warns.
 * `required`: at least one MFA-capable method. The methods list (no licence needed) is the
 * authority; the registration report (needs Entra ID P1) is extra evidence, and the fallback only
 * when the methods list could not be read.
 */
import type { AuthMethodFact, CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { readCampaign } from "./registration-campaign.js";
import { RETIREMENT_WARNING, SMS_VOICE_URL, smsVoiceRetirement, type Retirement } from "./sms-voice-retirement.js";
import { describeFailure, gate, plural, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { ENTRA_LINKS } from "../well-known.js";

const REGISTRATION_CAMPAIGN_URL = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~/RegistrationCampaign";

const meta = checkMeta({
  id: "mfa-registration",
  title: "MFA registration",
  requirement: "R6",
  requiredState:
    "no MFA method registered, and no registration campaign nudging it; a phone as the only MFA method warns (mailed once) " +
    "before SMS and voice end on 2027-02-01 and fails from then",
  shortName: "MFA registration",
  rank: 6,
  severity: "now",
  facts: ["account", "authMethods", "registrationDetails", "registrationCampaign", "membership"],
  description:
    "A new authentication method on a Global Administrator service account is a security event, and a registration campaign can interrupt its " +
    "sign-in with a nudge. Profiles that keep Security Defaults need the opposite: an MFA method registered. Microsoft ends the SMS and voice it " +
    "provides on 2027-02-01; from then a user whose only MFA method is a phone must register a passkey before signing in, which an unattended " +
    "sign-in cannot do.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Users → the connection account → Authentication methods: check each method; delete any that was not added on purpose, and review the audit log for who added it.",
    "2. Registration campaign: Protection → Authentication methods → Registration campaign → Edit → add the account (or its group) to Excluded " +
      "users and groups, or set State to Disabled → Save.",
  ].join("\n"),
  links: [{ label: "Entra admin center → Registration campaign", url: REGISTRATION_CAMPAIGN_URL }],
  references: [
    "https://learn.microsoft.com/graph/api/authentication-list-methods",
    "https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-registration-campaign",
    SMS_VOICE_URL,
  ],
});

/** For a phone as the only MFA method, after the general steps. */
const RETIREMENT_STEP =
  "3. A phone as the only MFA method: delete it (profile strict), or add a method other than SMS or voice call (profile security-defaults-enrolled) " +
  "before 2027-02-01, or configure a customer-managed telecom provider from the Microsoft Security Store.";

const REGISTER_STEPS = [
  "Register an MFA method for the connection account:",
  "1. Entra admin center (https://entra.microsoft.com) → Identity → Users → the connection account → Authentication methods → Add authentication method (e.g. a Temporary Access Pass to register Authenticator or a passkey; not a phone alone, Microsoft ends SMS and voice on 2027-02-01).",
  "2. Or sign in as the account at https://aka.ms/mysecurityinfo and add a method.",
].join("\n");

const PASSWORD = "passwordAuthenticationMethod";
/**
 * Not MFA methods the account keeps, for "has MFA": email can only reset a password (SSPR); a
 * Temporary Access Pass is one-time and expires; a method without a type (the base
 * `authenticationMethod`, an empty or unknown type) cannot be shown to be a second factor. The
 * registration report's names (`email`, `temporaryAccessPass`, `securityQuestion`: password reset only) are here too. Under strict, each is
 * still a method besides the password.
 */
const NOT_MFA: ReadonlySet<string> = new Set([
  PASSWORD,
  "emailAuthenticationMethod",
  "email",
  "temporaryAccessPassAuthenticationMethod",
  "temporaryAccessPass",
  "securityQuestion",
  "authenticationMethod",
  "",
  "unknown",
  "unknownFutureValue",
]);

const METHOD_NAMES: Readonly<Record<string, string>> = {
  passwordAuthenticationMethod: "password",
  microsoftAuthenticatorAuthenticationMethod: "Microsoft Authenticator",
  phoneAuthenticationMethod: "phone",
  fido2AuthenticationMethod: "FIDO2 security key / passkey",
  windowsHelloForBusinessAuthenticationMethod: "Windows Hello for Business",
  softwareOathAuthenticationMethod: "software OATH token",
  hardwareOathAuthenticationMethod: "hardware OATH token",
  temporaryAccessPassAuthenticationMethod: "Temporary Access Pass",
  emailAuthenticationMethod: "email (password reset only)",
  platformCredentialAuthenticationMethod: "platform credential",
  x509CertificateAuthenticationMethod: "certificate",
  qrCodePinAuthenticationMethod: "QR code",
  authenticationMethod: "method of unknown type",
};

function describeMethod(m: AuthMethodFact): string {
  const name = METHOD_NAMES[m.type] ?? (m.type || "method of unknown type");
  return m.label ? `${name} (${m.label})` : name;
}

interface Registration {
  /** Every method but the password, for people. */
  readonly others: readonly string[];
  readonly hasMfa: boolean;
  /** Every method's type (or the registration report's names). */
  readonly names: readonly string[];
  readonly evidence: readonly string[];
}

function registration(facts: TenantFacts): Registration | null {
  const evidence: string[] = [];
  const details = facts.registrationDetails;
  if (details.ok) {
    const d = details.value;
    evidence.push(
      `registration report: isMfaRegistered ${String(d.isMfaRegistered)}, ` +
        `methods ${d.methodsRegistered.join(", ") || "none"}${d.lastUpdatedDateTime ? ` (updated ${d.lastUpdatedDateTime})` : ""}`,
    );
  }
  if (facts.authMethods.ok) {
    const methods = facts.authMethods.value;
    const others = methods.filter((m) => m.type !== PASSWORD);
    evidence.unshift(`methods: ${methods.map(describeMethod).join(", ") || "none"}`);
    return { others: others.map(describeMethod), hasMfa: methods.some((m) => !NOT_MFA.has(m.type)), names: methods.map((m) => m.type), evidence };
  }
  if (details.ok) {
    const registered = details.value.methodsRegistered;
    evidence.push(`methods list unreadable (${describeFailure(facts.authMethods)}); judged from the registration report`);
    return { others: registered, hasMfa: details.value.isMfaRegistered || registered.some((m) => !NOT_MFA.has(m)), names: registered, evidence };
  }
  return null;
}

/** The retirement's verdict, with whatever else the profile found said after it. */
function retired(r: Exclude<Retirement, { kind: "none" }>, also: readonly string[], evidence: string[]): CheckResult {
  return result(meta, r.kind, r.summary, {
    reason: also.length > 0 ? `${r.reason} Also: ${also.join("; ")}.` : r.reason,
    remediation: `${meta.remediation}\n${RETIREMENT_STEP}`,
    evidence,
  });
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const reg = registration(facts);
  if (reg === null) return unreadable(meta, facts.authMethods, "the account's authentication methods") ?? result(meta, "unknown", "Could not read methods");
  const evidence = [...reg.evidence];
  const now = Date.parse(facts.collectedAt);
  const campaign = readCampaign(facts, g.account.id, reg.names, now);
  if (campaign.verdict) evidence.push(campaign.verdict.why);
  const retirement = smsVoiceRetirement({ mfaMethods: reg.names.filter((n) => !NOT_MFA.has(n)), campaign: campaign.verdict, now });

  if (profile.mfaRegistration === "required") {
    if (!reg.hasMfa) {
      return result(meta, "fail", "No MFA method is registered", {
        reason: `Profile ${profile.name} needs the account registered for MFA.`,
        remediation: `${REGISTER_STEPS}\nThe account: ${ENTRA_LINKS.user(g.account.id)}`,
        evidence,
      });
    }
    if (retirement.kind !== "none") return retired(retirement, [], evidence);
    return result(meta, "pass", "An MFA method is registered", { evidence });
  }

  const problems: string[] = [];
  if (reg.others.length > 0) problems.push(`${plural(reg.others.length, "method", "methods")} besides the password: ${reg.others.join(", ")}`);
  if (campaign.verdict?.reaches === true) problems.push(campaign.verdict.why);
  const also = [...problems, ...(campaign.unknown ? [campaign.unknown] : [])];
  if (retirement.kind !== "none") return retired(retirement, also, evidence);
  if (problems.length > 0) {
    const summary =
      reg.others.length > 0
        ? `${plural(reg.others.length, "method is", "methods are")} registered besides the password`
        : "The registration campaign targets the account";
    return result(meta, "warn", summary, { reason: also.join("; "), evidence });
  }
  if (campaign.unknown)
    return result(meta, "unknown", "Could not tell whether the registration campaign targets the account", { reason: campaign.unknown, evidence });
  return result(meta, "pass", "Only the password is registered", { evidence });
}

export const mfaRegistrationCheck = defineCheck(meta, run, {
  // Mailed once, as soon as it stands: the date is Microsoft's and the same for every tenant.
  earlyWarning: (r) => r.summary === RETIREMENT_WARNING,
});
