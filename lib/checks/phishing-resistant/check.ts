/**
 * R17: an emergency access account authenticates with a phishing-resistant method and has no
 * weaker one to fall back to, and no registration campaign nudges it to add one. Judged only
 * under a profile that asks for it (`authMethods: phishing-resistant`); the methods list (no
 * licence needed) is the authority.
 */
import type { AuthMethodFact, CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { readCampaign } from "../mfa-registration/registration-campaign.js";
import { gate, plural, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { EMERGENCY_ACCESS_CITATION, EMERGENCY_ACCESS_GUIDANCE, ENTRA_LINKS } from "../well-known.js";
import { isNamedByGuidance, isPhishingResistant, isWeaker } from "./methods.js";

const REGISTRATION_CAMPAIGN_URL = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~/RegistrationCampaign";

const meta = checkMeta({
  id: "phishing-resistant",
  title: "Phishing-resistant authentication only (emergency access)",
  requirement: "R17",
  requiredState:
    "profile emergency-access only: a passkey (FIDO2), Windows Hello for Business or certificate registered, no phone, email, Authenticator, " +
    "OATH or Temporary Access Pass besides the password, and no registration campaign targeting the account",
  shortName: "Phishing-resistant authentication",
  rank: 16,
  severity: "now",
  facts: ["account", "membership", "authMethods", "registrationCampaign"],
  description:
    `${EMERGENCY_ACCESS_CITATION} requires phishing-resistant authentication for emergency access accounts (its security requirements: ` +
    '"Use phishing-resistant authentication methods (FIDO2 security keys or certificate-based authentication)") and that no one registered MFA ' +
    "or password reset to an individual's device or personal details. A weaker method (phone, email, Authenticator, OATH code, Temporary Access " +
    "Pass) is one the account can sign in or recover with wherever no policy asks for phishing-resistant strength, and it is excluded from most " +
    "policies. Microsoft recommends a passkey (FIDO2), or certificates where a PKI exists; Windows Hello for Business alone binds the account to one " +
    "device: a warning. A registration campaign would nudge the account to register another method at sign-in: a warning.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Entra ID → Authentication methods → Policies: enable Passkey (FIDO2) for the emergency access accounts.",
    "2. Register a FIDO2 security key for the account (sign in as it at https://aka.ms/mysecurityinfo, or with a Temporary Access Pass that you delete afterwards).",
    "3. Users → the account → Authentication methods: delete every phone, email, Microsoft Authenticator, OATH token and Temporary Access Pass.",
    "4. Authentication methods → Registration campaign → Edit → add the account (or its group) to Excluded users and groups → Save.",
  ].join("\n"),
  links: [{ label: "Entra admin center → Registration campaign", url: REGISTRATION_CAMPAIGN_URL }],
  references: [
    EMERGENCY_ACCESS_GUIDANCE,
    "https://learn.microsoft.com/graph/api/resources/authenticationmethod",
    "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths",
    "https://learn.microsoft.com/entra/identity/authentication/how-to-mfa-registration-campaign",
  ],
});

const describe = (m: AuthMethodFact): string => (m.label ? `${m.type} (${m.label})` : m.type);

/** The campaign's verdict as a problem, a gap, or nothing. */
function campaignReading(facts: TenantFacts, accountId: string, methods: readonly AuthMethodFact[]): { targets: string | null; unknown: string | null } {
  const reading = readCampaign(
    facts,
    accountId,
    methods.map((m) => m.type),
    Date.parse(facts.collectedAt),
  );
  return { targets: reading.verdict?.reaches === true ? reading.verdict.why : null, unknown: reading.unknown };
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  // Before the account: a profile that does not judge it has nothing to say, even when the account cannot be read.
  if (profile.authMethods !== "phishing-resistant") {
    return result(meta, "skipped", `Not judged under profile ${profile.name}`, {
      reason: `Profile ${profile.name} does not ask for phishing-resistant authentication (emergency access accounts do).`,
    });
  }
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.authMethods, "the account's authentication methods");
  if (problem || !facts.authMethods.ok) return problem ?? result(meta, "unknown", "Could not read the account's methods");
  const methods = facts.authMethods.value;
  const strong = methods.filter(isPhishingResistant);
  const weaker = methods.filter(isWeaker);
  const campaign = campaignReading(facts, g.account.id, methods);
  const evidence = [`methods: ${methods.map(describe).join(", ") || "none"}`, ...(campaign.targets ? [campaign.targets] : [])];
  const remediation = `${meta.remediation}\nThe account: ${ENTRA_LINKS.user(g.account.id)}`;
  const also = [...(weaker.length > 0 ? [`weaker: ${weaker.map(describe).join(", ")}`] : []), ...(campaign.targets ? [campaign.targets] : [])];

  if (strong.length === 0) {
    return result(meta, "fail", "No phishing-resistant method is registered", {
      reason:
        "Microsoft's emergency access guidance requires a phishing-resistant method (a passkey (FIDO2) or certificate-based authentication); " +
        "Graph lists none for the account (certificate-based authentication does not appear in the v1.0 methods list)" +
        (also.length > 0 ? `. Also: ${also.join("; ")}.` : "."),
      remediation,
      evidence,
    });
  }
  if (weaker.length > 0) {
    return result(meta, "fail", `${plural(weaker.length, "weaker method is", "weaker methods are")} registered besides the phishing-resistant one`, {
      reason:
        `The account can sign in or reset its password with ${weaker.map(describe).join(", ")} wherever no policy asks for phishing-resistant ` +
        "strength. Microsoft's emergency access guidance requires phishing-resistant methods and no MFA or password reset registered to an individual's " +
        `device or personal details${campaign.targets ? `. Also: ${campaign.targets}` : ""}.`,
      remediation,
      evidence,
    });
  }
  if (campaign.targets) {
    return result(meta, "warn", "The registration campaign targets the account", {
      reason: `Microsoft recommends keeping MFA registrations of emergency access accounts off individuals' devices; ${campaign.targets}.`,
      remediation,
      evidence,
    });
  }
  if (!strong.some(isNamedByGuidance)) {
    return result(meta, "warn", "Only a device-bound phishing-resistant method is registered", {
      reason:
        `Microsoft recommends a passkey (FIDO2), or certificate-based authentication where a PKI exists; ${strong.map(describe).join(", ")} ` +
        "binds the account to one device.",
      remediation,
      evidence,
    });
  }
  if (campaign.unknown) {
    return result(meta, "unknown", "Could not tell whether the registration campaign targets the account", { reason: campaign.unknown, evidence });
  }
  return result(meta, "pass", "Only phishing-resistant methods are registered", { evidence });
}

export const phishingResistantCheck = defineCheck(meta, run);
