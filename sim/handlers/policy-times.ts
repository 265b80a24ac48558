/**
 * Sample Conditional Access policies may give `createdDaysAgo` instead of `createdDateTime`, so a
 * Microsoft-managed policy's 45 days stay true relative to the sim's clock: that many
 * days before the start of the current day (UTC), so the enforcement date stays the same all day.
 */
import type { GraphCaPolicy } from "../types.js";
import { daysBeforeToday } from "./user-extras.js";

export function servedPolicy(policy: GraphCaPolicy, now: Date): GraphCaPolicy {
  const { createdDaysAgo, ...rest } = policy;
  if (typeof createdDaysAgo !== "number") return policy;
  return { ...rest, createdDateTime: new Date(daysBeforeToday(now, createdDaysAgo)).toISOString().replace(/\.\d{3}Z$/, "Z") };
}
