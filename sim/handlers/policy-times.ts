/**
 * Sample Conditional Access policies may give `createdDaysAgo` instead of `createdDateTime`, so a
 * Microsoft-managed policy's 45 days (issue 15) stay true relative to the sim's clock.
 */
import type { GraphCaPolicy } from "../types.js";

export function servedPolicy(policy: GraphCaPolicy, now: Date): GraphCaPolicy {
  const { createdDaysAgo, ...rest } = policy;
  if (typeof createdDaysAgo !== "number") return policy;
  return { ...rest, createdDateTime: new Date(now.getTime() - createdDaysAgo * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z") };
}
