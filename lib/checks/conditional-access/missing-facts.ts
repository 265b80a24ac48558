/**
 * The facts a Conditional Access verdict can rest on that Drift Monitor cannot read from Microsoft
 * Graph, and which verdicts rest on them. Each is named once here, with why it is missing and where
 * a person can look it up, so every view says the same words (lib/text/missing-facts.ts).
 *
 * Conditions the sign-in log or Graph does decide (platform, client app, an IP in a named location,
 * user risk) or that only a future sign-in decides (sign-in risk, device, flow) are not missing
 * facts: the verdict is `conditional` on them, and says so in its conditions.
 */
import type { CaFinding, CaPolicy, MissingFact } from "../../model/index.js";
import { filterMode } from "./applications.js";
import { insiderRiskNarrows } from "./narrowing.js";

export type MissingFactId = "mfa-trusted-ips" | "custom-security-attributes" | "insider-risk";

const CATALOGUE: Readonly<Record<MissingFactId, Omit<MissingFact, "subjects">>> = {
  "mfa-trusted-ips": {
    fact: "MFA trusted IPs",
    why:
      'the policy\'s "AllTrusted" location also holds the legacy multifactor authentication trusted IPs, which Microsoft Graph does not list, ' +
      "so whether the account's IP is trusted is unknown",
    where:
      "Entra admin center → Protection → Conditional Access → Named locations → Configure MFA trusted IPs " +
      "(https://account.activedirectory.windowsazure.com/usermanagement/mfasettings.aspx)",
  },
  "custom-security-attributes": {
    fact: "custom security attributes",
    why:
      "the policy's application filter takes apps by their custom security attributes, which Drift Monitor does not read " +
      "(Graph gives them only to CustomSecAttributeAssignment.Read.All), so whether it takes the account's resource apps is unknown",
    where: "Entra admin center → Enterprise applications → each app the account signs in to → Custom security attributes (as an Attribute Assignment Reader)",
  },
  "insider-risk": {
    fact: "insider risk level",
    why: "the policy applies at an insider risk level that Microsoft Purview Adaptive Protection sets, which Microsoft Graph does not expose",
    where: "Microsoft Purview portal → Insider Risk Management → Adaptive Protection → Users assigned insider risk levels",
  },
};

const ORDER = Object.keys(CATALOGUE) as MissingFactId[];

/** The short name a finding carries for the fact. */
export const missingFactName = (id: MissingFactId): string => CATALOGUE[id].fact;

/** Facts the policy's own conditions always leave open, whatever sign-in is judged. */
export function policyMissingFacts(policy: CaPolicy): MissingFactId[] {
  const conditions = policy.conditions;
  if (conditions === null) return [];
  return insiderRiskNarrows(conditions) ? ["insider-risk"] : [];
}

/** For the profile's assumed sign-ins: an include-mode application filter is decided by attributes too. */
export function profileMissingFacts(policy: CaPolicy): MissingFactId[] {
  const apps = policy.conditions?.applications ?? null;
  const filter: MissingFactId[] = apps !== null && filterMode(apps) === "include" ? ["custom-security-attributes"] : [];
  return [...filter, ...policyMissingFacts(policy)];
}

/** The ids in catalogue order, each once. */
export function uniqueFacts(ids: Iterable<MissingFactId>): MissingFactId[] {
  const seen = new Set(ids);
  return ORDER.filter((id) => seen.has(id));
}

/** The check's list: each fact its findings rest on, with the policies that rest on it. */
export function collectMissingFacts(findings: readonly CaFinding[]): MissingFact[] {
  return ORDER.flatMap((id) => {
    const subjects = findings.filter((f) => f.missingFacts?.includes(CATALOGUE[id].fact)).map((f) => f.policyName);
    return subjects.length > 0 ? [{ ...CATALOGUE[id], subjects }] : [];
  });
}
