export { evaluatePolicy } from "./evaluate-policy.js";
export { buildAccountContext, type AccountContext } from "./account-context.js";
