/** What makes two sign-ins one context: everything but the time (the What If answers are stored under it). */
import type { SignInContext } from "../../model/index.js";

export function contextKey(c: Omit<SignInContext, "lastSeen">): string {
  return [c.appId, c.resourceId, c.clientAppUsed, c.ipAddress, c.country, c.operatingSystem, c.deviceRegistered, c.deviceCompliant]
    .map((v) => String(v))
    .join("|");
}
