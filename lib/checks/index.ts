/** The pure rules: facts in, report out. No I/O, no clock. */
export { evaluate, tenantStatus, CHECKS } from "./evaluate.js";
export { PROFILES, getProfile, DEFAULT_PROFILE_NAME, DEFAULT_SIGN_IN_APPS, DEFAULT_CLIENT_APP_TYPES } from "./profiles.js";
export type { Check, CheckMeta, Requirement } from "./types.js";
export { accountCheck } from "./account.js";
export { adminRoleCheck } from "./admin-role.js";
export { securityDefaultsCheck } from "./security-defaults.js";
export { perUserMfaCheck } from "./per-user-mfa.js";
export { conditionalAccessCheck } from "./conditional-access.js";
export { mfaRegistrationCheck } from "./mfa-registration.js";
export { signInsCheck } from "./sign-ins.js";
export { campaignTargetsAccount, type CampaignVerdict } from "./registration-campaign.js";
export * from "./conditional-access/index.js";
export { APP, APP_NAMES, OFFICE365_APPS, ROLE_NAMES, MFA_OR_CA_ERROR_CODES, ENTRA_LINKS, roleName, appName } from "./well-known.js";
