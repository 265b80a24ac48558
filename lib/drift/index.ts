export { diff, type DiffOptions, type DiffResult } from "./diff.js";
export { diffSnapshots, diffPolicies, type SnapshotDiff, type PolicyChange, type PolicyRef } from "./history.js";
export { canonicalJson } from "./canonical.js";
export { findingKey } from "./observe.js";
export { normaliseMethods, compareMethods } from "./methods.js";
