/**
 * Clause 5: what the policy demands. Every grant control needs something a non-interactive
 * sign-in cannot give (a second factor, a device, an app, a consent), whatever the AND/OR
 * operator, so any grant control stops it. Session controls do not block but can force the
 * account to re-authenticate or limit its session.
 */
import type { CaPolicy } from "../../model/index.js";

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.length > 0) : [];
}

/** The grant controls as short labels: "mfa", "authentication strength Phishing-resistant MFA", "terms of use". */
export function grantControls(policy: CaPolicy): string[] {
  const g = policy.grantControls;
  if (!g) return [];
  const out = strings(g.builtInControls);
  const strength = g.authenticationStrength;
  if (strength && typeof strength === "object") out.push(`authentication strength ${strength.displayName ?? strength.id ?? ""}`.trim());
  const terms = strings(g.termsOfUse);
  if (terms.length > 0) out.push(terms.length === 1 ? "terms of use" : `terms of use (${terms.length})`);
  for (const factor of strings(g.customAuthenticationFactors)) out.push(`custom control ${factor}`);
  return out;
}

const SESSION_LABELS: Readonly<Record<string, string>> = {
  signInFrequency: "sign-in frequency",
  persistentBrowser: "persistent browser",
  continuousAccessEvaluation: "continuous access evaluation",
  applicationEnforcedRestrictions: "app enforced restrictions",
  cloudAppSecurity: "Conditional Access App Control",
  disableResilienceDefaults: "resilience defaults disabled",
  secureSignInSession: "token protection",
  blockSensitiveActions: "block sensitive actions",
  globalSecureAccessFilteringProfile: "Global Secure Access filtering profile",
};

/**
 * Is a session control switched on? Most say so with `isEnabled`; continuous access evaluation
 * has no `isEnabled` but a `mode`, where `disabled` turns it off.
 */
function isActive(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "object") {
    const v = value as { isEnabled?: unknown; mode?: unknown };
    if (v.isEnabled === false) return false;
    if (typeof v.mode === "string" && v.mode.toLowerCase() === "disabled") return false;
  }
  return true;
}

/** The session controls that are switched on, as short labels; `@odata` annotations are not controls. */
export function sessionControls(policy: CaPolicy): string[] {
  const s = policy.sessionControls;
  if (!s) return [];
  return Object.entries(s)
    .filter(([key, value]) => !key.includes("@") && !key.startsWith("#") && isActive(value))
    .map(([key]) => SESSION_LABELS[key] ?? key);
}
