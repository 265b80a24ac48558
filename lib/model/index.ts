export * from "./facts.js";
export * from "./report.js";
export * from "./profile.js";
