/**
 * Identifiers Microsoft publishes that the rules need by name: resource apps, the `Office365`
 * app group, built-in role template ids. Kept small on purpose: only what a reason or a clause uses.
 */
import { GLOBAL_ADMIN_TEMPLATE_ID } from "../model/facts.js";

export const APP = {
  microsoftGraph: "00000003-0000-0000-c000-000000000000",
  exchangeOnline: "00000002-0000-0ff1-ce00-000000000000",
  sharePointOnline: "00000003-0000-0ff1-ce00-000000000000",
  azureAdGraph: "00000002-0000-0000-c000-000000000000",
  teamsServices: "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
  skypeForBusinessOnline: "00000004-0000-0ff1-ce00-000000000000",
} as const;

const APP_NAMES: Readonly<Record<string, string>> = {
  [APP.microsoftGraph]: "Microsoft Graph",
  [APP.exchangeOnline]: "Exchange Online",
  [APP.sharePointOnline]: "SharePoint Online",
  [APP.azureAdGraph]: "Azure AD Graph",
  [APP.teamsServices]: "Teams Services",
  [APP.skypeForBusinessOnline]: "Skype for Business Online",
};

/** What the `Office365` app group covers among the apps a connection account uses (not Graph, not Azure AD Graph). */
export const OFFICE365_APPS: ReadonlySet<string> = new Set([APP.exchangeOnline, APP.sharePointOnline, APP.teamsServices, APP.skypeForBusinessOnline]);

/** Client app types of legacy authentication: a modern client never matches them. */
export const LEGACY_CLIENT_APP_TYPES: ReadonlySet<string> = new Set(["exchangeActiveSync", "easSupported", "other"]);

/** Built-in role template ids → names, for reasons a person can read ("excluded via role …"). */
const ROLE_NAMES: Readonly<Record<string, string>> = {
  [GLOBAL_ADMIN_TEMPLATE_ID]: "Global Administrator",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
  "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
  "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
  "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
  "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
  "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
  "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
  "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
  "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
  "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
  "f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
  "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
  "69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
  "d29b2b05-8046-44ba-8758-1e26182fcf32": "Directory Synchronization Accounts",
  "88d8e3e3-8f55-4a1e-953a-9b9898b8876b": "Directory Readers",
};

export function roleName(templateId: string, fallback?: string | null): string {
  return ROLE_NAMES[templateId] ?? fallback ?? templateId;
}

export function appName(appId: string): string {
  return APP_NAMES[appId] ?? appId;
}

/**
 * Sign-in error codes that mean MFA or Conditional Access interrupted the sign-in (R7), each with
 * the short meaning shown in the evidence. The design's five come first; then the other
 * Conditional Access interruptions a non-interactive account hits (a grant control it cannot
 * meet). A Map keeps this order (a Record would sort the numeric keys).
 */
export const MFA_OR_CA_ERROR_CODES: ReadonlyMap<number, string> = new Map([
  [50072, "user must enroll for MFA"],
  [50074, "strong authentication (MFA) required"],
  [50076, "MFA required by policy or location"],
  [50079, "user must register for MFA"],
  [53003, "blocked by Conditional Access"],
  [53000, "device not compliant (Conditional Access)"],
  [53001, "device not domain-joined (Conditional Access)"],
  [53002, "app not approved (Conditional Access)"],
  [530032, "blocked by a tenant security policy (Conditional Access)"],
]);

/** Portal links more than one check uses; a check's own links are in its folder. */
export const ENTRA_LINKS = {
  user: (userId: string): string =>
    `https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${encodeURIComponent(userId)}`,
} as const;

/**
 * Microsoft Learn, "Manage emergency access admin accounts" (ms.date 2026-06-04, read 2026-12-07):
 * the source of the emergency-access profile's rules (docs/emergency-access.md separates what it
 * requires from what it recommends).
 */
export const EMERGENCY_ACCESS_GUIDANCE = "https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access";

/** How the checks cite it in their descriptions: the page's own date and the day it was read. */
export const EMERGENCY_ACCESS_CITATION = "Microsoft Learn, Manage emergency access admin accounts (page dated 2026-06-04, read 2026-12-07)";
