/**
 * Which registered methods are phishing-resistant, and whether an authentication strength asks
 * only for such methods. The method types are Graph's (`/users/{id}/authentication/methods`,
 * learn.microsoft.com/graph/api/resources/authenticationmethod); the modes are an authentication
 * strength's `allowedCombinations` (learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy),
 * which Graph returns inside a Conditional Access policy's `grantControls.authenticationStrength`.
 * Microsoft's built-in "Phishing-resistant MFA" strength allows `windowsHelloForBusiness`, `fido2`
 * and `x509CertificateMultiFactor`
 * (learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths).
 */
import type { AuthMethodFact, CaGrantControls } from "../../model/index.js";

const PASSWORD_METHOD = "passwordAuthenticationMethod";

/** The built-in "Phishing-resistant MFA" authentication strength. */
const PHISHING_RESISTANT_STRENGTH_ID = "00000000-0000-0000-0000-000000000004";

/** The authentication-strength modes that are phishing-resistant. */
const PHISHING_RESISTANT_MODES: ReadonlySet<string> = new Set(["fido2", "windowsHelloForBusiness", "x509CertificateMultiFactor"]);

/**
 * Phishing-resistant method types → the strength mode they satisfy (null: phishing-resistant, but
 * no strength mode is known to take it, so it satisfies no strength here). Certificates appear in
 * beta's list only (`x509CertificateAuthenticationMethod`); v1.0 does not show certificate-based
 * authentication as a registered method.
 */
const PHISHING_RESISTANT_TYPES: ReadonlyMap<string, string | null> = new Map([
  ["fido2AuthenticationMethod", "fido2"],
  ["windowsHelloForBusinessAuthenticationMethod", "windowsHelloForBusiness"],
  ["x509CertificateAuthenticationMethod", "x509CertificateMultiFactor"],
  ["platformCredentialAuthenticationMethod", null],
]);

/** The ones Microsoft's emergency access guidance names: a passkey (FIDO2) or a certificate; the others bind the account to one device. */
const NAMED_BY_GUIDANCE: ReadonlySet<string> = new Set(["fido2AuthenticationMethod", "x509CertificateAuthenticationMethod"]);

export const isPhishingResistant = (m: AuthMethodFact): boolean => PHISHING_RESISTANT_TYPES.has(m.type);
export const isNamedByGuidance = (m: AuthMethodFact): boolean => NAMED_BY_GUIDANCE.has(m.type);
/** A method the account could sign in or recover with instead of a phishing-resistant one (the password aside: every account has one). */
export const isWeaker = (m: AuthMethodFact): boolean => m.type !== PASSWORD_METHOD && !isPhishingResistant(m);

type Strength = NonNullable<CaGrantControls["authenticationStrength"]>;

function combinations(strength: Strength): string[] | null {
  const value = strength.allowedCombinations;
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.filter((c): c is string => typeof c === "string");
}

/** The strength's modes, when every combination it allows is phishing-resistant; null when it allows anything weaker. */
function phishingResistantModes(strength: Strength): ReadonlySet<string> | null {
  const allowed = combinations(strength);
  // The built-in strength is fixed by Microsoft: its id says what it allows when the combinations did not come with it.
  if (allowed === null) return strength.id === PHISHING_RESISTANT_STRENGTH_ID ? PHISHING_RESISTANT_MODES : null;
  const modes = allowed.flatMap((c) => c.split(",").map((m) => m.trim()));
  return modes.length > 0 && modes.every((m) => PHISHING_RESISTANT_MODES.has(m)) ? new Set(modes) : null;
}

/**
 * Does the policy's grant ask only for a phishing-resistant authentication strength that one of
 * the account's methods satisfies? Any other grant control (block, MFA, a device, terms of use)
 * is one the account must be excluded from.
 */
export function satisfiesOnlyStrength(grant: CaGrantControls | null, methods: readonly AuthMethodFact[]): boolean {
  const strength = grant?.authenticationStrength;
  if (!grant || !strength || typeof strength !== "object") return false;
  const others = [grant.builtInControls, grant.termsOfUse, grant.customAuthenticationFactors].some((v) => Array.isArray(v) && v.length > 0);
  if (others) return false;
  const modes = phishingResistantModes(strength);
  if (modes === null) return false;
  return methods.some((m) => {
    const mode = PHISHING_RESISTANT_TYPES.get(m.type);
    return mode !== undefined && mode !== null && modes.has(mode);
  });
}
