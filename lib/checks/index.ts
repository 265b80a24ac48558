/** The pure rules: facts in, report out. No I/O, no clock. */
export { evaluate, tenantStatus } from "./evaluate.js";
export { REGISTRY, CHECKS, CHECK_IDS, factsReadBy, type CheckId } from "./registry.js";
export { PROFILES, getProfile, DEFAULT_PROFILE_NAME, DEFAULT_SIGN_IN_APPS, DEFAULT_CLIENT_APP_TYPES } from "./profiles.js";
export { checkMeta, defineCheck, type Check, type CheckMeta, type PortalLink, type Requirement } from "./types.js";
export { accountCheck } from "./account/check.js";
export { adminRoleCheck } from "./admin-role/check.js";
export { securityDefaultsCheck } from "./security-defaults/check.js";
export { perUserMfaCheck } from "./per-user-mfa/check.js";
export { conditionalAccessCheck, policyLink } from "./conditional-access/check.js";
export { mfaRegistrationCheck } from "./mfa-registration/check.js";
export { signInsCheck } from "./sign-ins/check.js";
export { campaignTargetsAccount, type CampaignVerdict } from "./mfa-registration/registration-campaign.js";
export * from "./conditional-access/index.js";
export { APP, APP_NAMES, OFFICE365_APPS, ROLE_NAMES, MFA_OR_CA_ERROR_CODES, ENTRA_LINKS, roleName, appName } from "./well-known.js";
