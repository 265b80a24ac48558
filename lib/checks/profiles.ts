/**
 * The named sets of expectations a tenant can be checked against. Data only: a new profile is
 * a new entry here, never a new code path in a rule.
 */
import type { Profile } from "../model/index.js";
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

export const DEFAULT_PROFILE_NAME = "strict";

const strict: Profile = {
  name: "strict",
  description: "The design's required state: Security Defaults off, per-user MFA off, no Conditional Access policy applies, no MFA method registered.",
  disabledChecks: [],
  securityDefaults: "disabled",
  mfaRegistration: "none",
  signInApps: DEFAULT_SIGN_IN_APPS,
  clientAppTypes: DEFAULT_CLIENT_APP_TYPES,
};

const securityDefaultsEnrolled: Profile = {
  name: "security-defaults-enrolled",
  description: "For tenants that keep Security Defaults: they may be on or off, and the account must have an MFA method registered.",
  disabledChecks: [],
  securityDefaults: "any",
  mfaRegistration: "required",
  signInApps: DEFAULT_SIGN_IN_APPS,
  clientAppTypes: DEFAULT_CLIENT_APP_TYPES,
};

export const PROFILES: Readonly<Record<string, Profile>> = {
  [strict.name]: strict,
  [securityDefaultsEnrolled.name]: securityDefaultsEnrolled,
};

export function getProfile(name: string): Profile | undefined {
  // Own properties only: "constructor" or "__proto__" must not resolve to something.
  return Object.prototype.hasOwnProperty.call(PROFILES, name) ? PROFILES[name] : undefined;
}
