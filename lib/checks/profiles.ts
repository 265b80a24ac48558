/**
 * The named sets of expectations a tenant can be checked against. Data only: a new profile is
 * a new entry here, never a new code path in a rule.
 */
import type { ConditionalAccessExpectation, Profile } from "../model/index.js";
import { APP } from "./well-known.js";

/** The resource apps a connection account signs in to (Conditional Access clause 2). */
const DEFAULT_SIGN_IN_APPS: readonly string[] = [
  APP.microsoftGraph,
  APP.exchangeOnline,
  APP.sharePointOnline,
  APP.azureAdGraph,
  APP.teamsServices,
  APP.skypeForBusinessOnline,
];

/** Modern client types; the account never uses legacy authentication (Conditional Access clause 3). */
const DEFAULT_CLIENT_APP_TYPES: readonly string[] = ["mobileAppsAndDesktopClients", "browser"];

/** A service account's sign-ins say where it signs in; any grant control stops it. */
const CONNECTION_CONDITIONAL_ACCESS: ConditionalAccessExpectation = {
  judgeObservedSignIns: true,
  conditional: "warn",
  sessionOnly: "warn",
  reportOnly: "warn",
  satisfies: "none",
};

/** What a connection account's profile expects beyond its own choices: the rules as they were before emergency access. */
const CONNECTION = {
  adminRole: "active",
  passwordExpiry: "before-expiry",
  authMethods: "not-judged",
  signInNotices: "none",
  conditionalAccess: CONNECTION_CONDITIONAL_ACCESS,
} as const satisfies Pick<Profile, "adminRole" | "passwordExpiry" | "authMethods" | "signInNotices" | "conditionalAccess">;

export const DEFAULT_PROFILE_NAME = "strict";

const strict: Profile = {
  name: "strict",
  description: "The design's required state: Security Defaults off, per-user MFA off, no Conditional Access policy applies, no MFA method registered.",
  disabledChecks: [],
  securityDefaults: "disabled",
  mfaRegistration: "none",
  signInApps: DEFAULT_SIGN_IN_APPS,
  clientAppTypes: DEFAULT_CLIENT_APP_TYPES,
  ...CONNECTION,
};

const securityDefaultsEnrolled: Profile = {
  name: "security-defaults-enrolled",
  description: "For tenants that keep Security Defaults: they may be on or off, and the account must have an MFA method registered.",
  disabledChecks: [],
  securityDefaults: "any",
  mfaRegistration: "required",
  signInApps: DEFAULT_SIGN_IN_APPS,
  clientAppTypes: DEFAULT_CLIENT_APP_TYPES,
  ...CONNECTION,
};

/** Azure Resource Manager (the Azure portal's API) and the admin portals: where an emergency access account would act. */
const ADMIN_SIGN_IN_APPS: readonly string[] = ["797f4846-ba00-4fd7-ba43-dac1f8f63013", "MicrosoftAdminPortals"];

/**
 * Microsoft's emergency access guidance (lib/checks/well-known.ts EMERGENCY_ACCESS_GUIDANCE, docs/emergency-access.md):
 * cloud-only, permanently active Global Administrator, phishing-resistant authentication,
 * excluded from every Conditional Access policy that blocks or restricts sign-in (report-only
 * ones need no exclusion), a credential that does not expire, every sign-in alerted. The checks
 * that guard an unattended sign-in do not apply: a person signs in with a passkey, which
 * satisfies per-user MFA and Microsoft's mandatory MFA; its sign-ins are each a notice of their
 * own (lib/drift/emergency-sign-ins.ts), not a failure cause; it holds no standing refresh tokens to
 * lose; and What If would disagree where its passkey satisfies a policy.
 */
const emergencyAccess: Profile = {
  name: "emergency-access",
  description:
    "For emergency access (break-glass) accounts, to Microsoft's guidance: cloud-only, permanently active Global Administrator, a phishing-resistant " +
    "method and no weaker one, excluded from every enforced Conditional Access policy that could block it, a password that never expires.",
  disabledChecks: ["per-user-mfa", "mfa-registration", "sign-ins", "sessions-revoked", "mandatory-mfa", "what-if"],
  securityDefaults: "any",
  mfaRegistration: "required",
  signInApps: [...DEFAULT_SIGN_IN_APPS, ...ADMIN_SIGN_IN_APPS],
  clientAppTypes: DEFAULT_CLIENT_APP_TYPES,
  adminRole: "permanent-active",
  passwordExpiry: "never",
  authMethods: "phishing-resistant",
  signInNotices: "every",
  conditionalAccess: { judgeObservedSignIns: false, conditional: "fail", sessionOnly: "fail", reportOnly: "pass", satisfies: "phishing-resistant-strength" },
};

export const PROFILES: Readonly<Record<string, Profile>> = {
  [strict.name]: strict,
  [securityDefaultsEnrolled.name]: securityDefaultsEnrolled,
  [emergencyAccess.name]: emergencyAccess,
};

export function getProfile(name: string): Profile | undefined {
  // Own properties only: "constructor" or "__proto__" must not resolve to something.
  return Object.prototype.hasOwnProperty.call(PROFILES, name) ? PROFILES[name] : undefined;
}
