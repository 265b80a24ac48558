export { diff } from "./diff.js";
export { diffSnapshots } from "./history.js";
