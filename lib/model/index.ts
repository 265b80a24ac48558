export * from "./facts.js";
export * from "./report.js";
export * from "./profile.js";
export * from "./tenant.js";
export * from "./state.js";
