/** R5: no Conditional Access policy that would apply to the account's sign-ins takes it. */
import type { CaEffect, CaFinding, CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { buildAccountContext } from "./account-context.js";
import { evaluatePolicy } from "./evaluate-policy.js";
import { applySatisfiedGrant, classify } from "./expectations.js";
import { collectMissingFacts } from "./missing-facts.js";
import { applyUserRisk, currentUserRisk } from "./user-risk.js";
import { observedSignIns } from "./observed-facts.js";
import { gate, plural, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { EMERGENCY_ACCESS_CITATION, EMERGENCY_ACCESS_GUIDANCE } from "../well-known.js";

/** The policy's page in the Entra admin center. */
export function policyLink(policyId: string): string {
  return `https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/${encodeURIComponent(policyId)}`;
}

const meta = checkMeta({
  id: "conditional-access",
  title: "Excluded from Conditional Access",
  requirement: "R5",
  requiredState:
    "excluded from every Conditional Access policy that would apply to its sign-ins (users, groups — nested —, roles, apps, client app types, " +
    "conditions, grant and session controls)",
  shortName: "Conditional Access",
  rank: 1,
  severity: "now",
  // riskyUser: the account's user risk turns a user-risk policy from conditional into blocking (./user-risk.ts).
  // authMethods: under profile emergency-access, a phishing-resistant strength its methods satisfy does not block it (./expectations.ts).
  facts: ["account", "membership", "roleAssignments", "conditionalAccessPolicies", "riskyUser", "signInContexts", "namedLocations", "authMethods"],
  description:
    "A Conditional Access policy with a grant control (MFA, compliant device, authentication strength, block, terms of use…) stops a " +
    "non-interactive sign-in. Every enabled or report-only policy is judged for the account: users, applications, client apps, narrowing " +
    "conditions and controls. Where the account's own sign-in log (Entra ID P1) shows where, to what and from which platform it signs in, " +
    "location, platform, client-app and application conditions are decided from those sign-ins instead of assumed. Under profile emergency-access, " +
    `to ${EMERGENCY_ACCESS_CITATION} (a requirement: "Exclude emergency access accounts from Conditional Access policies that block or restrict ` +
    'sign-in"): a policy that applies under any condition fails, report-only ones need no exclusion, the sign-ins seen do not narrow where it could ' +
    "sign in, and a policy whose only grant is a phishing-resistant authentication strength the account's methods satisfy does not count.",
  remediation: [
    "For each policy listed: Entra admin center (https://entra.microsoft.com) → Protection → Conditional Access → Policies → open the policy",
    "→ Users → Exclude → Users and groups → select the connection account (or an exclusion group it belongs to) → Save.",
  ].join("\n"),
  links: [],
  references: [
    "https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups",
    "https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy",
    EMERGENCY_ACCESS_GUIDANCE,
  ],
});

function countOf(findings: readonly CaFinding[], effect: CaEffect): number {
  return findings.filter((f) => f.effect === effect).length;
}

function fixSteps(findings: readonly CaFinding[]): string {
  const lines = findings.map((f) => `- "${f.policyName}" (${f.effect}): Users → Exclude → add the connection account → Save. ${policyLink(f.policyId)}`);
  return ["Exclude the connection account from each policy in the Entra admin center (Protection → Conditional Access → Policies):", ...lines].join("\n");
}

function warnSummary(findings: readonly CaFinding[]): string {
  const parts = [
    [countOf(findings, "conditional"), "applies conditionally", "apply conditionally"],
    [countOf(findings, "report-only"), "is report-only", "are report-only"],
    [countOf(findings, "session-only"), "sets session controls", "set session controls"],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many], i) => (i === 0 ? `${plural(n, "policy", "policies")} ${n === 1 ? one : many}` : `${n} ${n === 1 ? one : many}`))
    .join(", ");
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.conditionalAccessPolicies, "Conditional Access policies");
  if (problem || !facts.conditionalAccessPolicies.ok) return problem ?? result(meta, "unknown", "Could not read Conditional Access policies");

  const ctx = buildAccountContext(g.account.id, facts);
  const policies = facts.conditionalAccessPolicies.value;
  const expectation = profile.conditionalAccess;
  const { observed, evidence } = expectation.judgeObservedSignIns
    ? observedSignIns(facts)
    : { observed: undefined, evidence: [`judged for every sign-in it could make (profile ${profile.name}: its sign-ins seen do not narrow it)`] };
  const judged = policies
    .map((p) => {
      const f = evaluatePolicy(p, ctx, profile, observed);
      return f && applySatisfiedGrant(f, p, expectation, facts.authMethods);
    })
    .filter((f): f is CaFinding => f !== null);
  const findings = applyUserRisk(judged, policies, currentUserRisk(facts.riskyUser));
  // Set only when some verdict rests on one, so a report without them stays as it was.
  const missing = collectMissingFacts(findings);
  const missingFacts = missing.length > 0 ? { missingFacts: missing } : {};

  const { blocking, warning } = classify(findings, expectation);
  const unknown = findings.filter((f) => f.effect === "unknown");

  if (blocking.length > 0) {
    // Under a profile where a condition or a session control is a lockout too, the summary says "could".
    const certain = blocking.every((f) => f.effect === "blocking");
    const verb = certain ? ["policy blocks", "policies block"] : ["policy could block or restrict", "policies could block or restrict"];
    return result(meta, "fail", `${plural(blocking.length, verb[0]!, verb[1]!)} the account`, {
      reason: blocking.map((f) => `"${f.policyName}": ${f.reason}${f.controls ? ` (requires ${f.controls.join(", ")})` : ""}`).join("; "),
      remediation: fixSteps([...blocking, ...warning]),
      findings,
      evidence,
      ...missingFacts,
    });
  }
  // Before warnings: a policy we could not judge may be blocking, which matters more than a warning.
  if (unknown.length > 0) {
    return result(meta, "unknown", `${plural(unknown.length, "policy depends", "policies depend")} on membership that could not be read`, {
      reason: [...new Set([ctx.groups.gap, ctx.roles.gap].filter((x): x is string => x !== undefined))].join("; "),
      findings,
      evidence,
      ...missingFacts,
    });
  }
  if (warning.length > 0) {
    return result(meta, "warn", warnSummary(warning), {
      reason: warning.map((f) => `"${f.policyName}": ${f.reason}`).join("; "),
      remediation: fixSteps(warning),
      findings,
      evidence,
      ...missingFacts,
    });
  }
  const summary =
    findings.length === 0
      ? "No enabled Conditional Access policy"
      : `No policy applies to the account (${plural(findings.length, "policy", "policies")} checked)`;
  return result(meta, "pass", summary, { findings, evidence, ...missingFacts });
}

export const conditionalAccessCheck = defineCheck(meta, run, {
  // A finding per policy: the email links to that policy.
  subjectLink: (policyId, name) => ({ label: `Open "${name}" in the Entra admin center`, url: policyLink(policyId) }),
});
