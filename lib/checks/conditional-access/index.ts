export { evaluatePolicy, REPORT_ONLY_STATE } from "./evaluate-policy.js";
export { buildAccountContext, type AccountContext, type KnownSet } from "./account-context.js";
export { evaluateUsers, type UserScope } from "./users.js";
export { evaluateApplications, type AppCoverage } from "./applications.js";
export { evaluateClientApps, type ClientCoverage } from "./client-apps.js";
export { narrowingConditions } from "./narrowing.js";
export { grantControls, sessionControls } from "./controls.js";
