/**
 * The observed sign-in contexts as the rules use them, and the evidence lines that show them in the
 * report. Without them (no premium licence, no sign-in seen, unreadable) the profile's assumed
 * context is judged instead, and the evidence says so.
 */
import type { TenantFacts } from "../../model/index.js";
import { describeFailure } from "../result.js";
import { clientAppTypeOf, contextLabel, platformOf } from "./contexts.js";
import type { ObservedSignIns } from "./evaluate-policy.js";
import { locationIndex } from "./locations.js";

export function observedSignIns(facts: Pick<TenantFacts, "signInContexts" | "namedLocations">): {
  readonly observed: ObservedSignIns | undefined;
  readonly evidence: string[];
} {
  const contexts = facts.signInContexts;
  if (!contexts.ok) {
    return { observed: undefined, evidence: [`sign-in contexts unknown (${describeFailure(contexts)}): judged for the profile's assumed sign-ins`] };
  }
  if (contexts.value.length === 0) return { observed: undefined, evidence: ["no recent sign-in of the account: judged for the profile's assumed sign-ins"] };
  const locations = locationIndex(facts.namedLocations.ok ? facts.namedLocations.value : null);
  const evidence = contexts.value.map((c) => {
    const client = clientAppTypeOf(c) ?? "unknown client";
    const device = [platformOf(c) ?? c.operatingSystem ?? "unknown platform", c.deviceCompliant ? "compliant" : null, c.deviceRegistered ? "registered" : null];
    const app = c.appDisplayName ?? c.appId ?? "unknown app";
    // No last-seen time here: a busy account's next sign-in would change the report (and make a snapshot) every run.
    return `signed in from ${contextLabel(c)} with ${app} (${client}, ${device.filter((d) => d !== null).join(", ")})`;
  });
  return { observed: { contexts: contexts.value, locations }, evidence };
}
