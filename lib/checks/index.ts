/** The pure rules: facts in, report out. No I/O, no clock. */
export { evaluate } from "./evaluate.js";
export { REGISTRY, CHECKS, CHECK_IDS, factsReadBy } from "./registry.js";
export { PROFILES, getProfile, DEFAULT_PROFILE_NAME } from "./profiles.js";
export { type Check } from "./types.js";
export { securityDefaultsCheck } from "./security-defaults/check.js";
export * from "./conditional-access/index.js";
export { MFA_OR_CA_ERROR_CODES } from "./well-known.js";
