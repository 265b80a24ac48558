/**
 * The account's user risk (Identity Protection, Entra ID P2) decides a policy
 * whose only narrowing condition is its user risk. Such a policy is `conditional` because we
 * cannot know the risk of a future sign-in; when the account is at a risk level the policy's
 * `userRiskLevels` names, every sign-in meets the condition now, so the policy is `blocking`, with
 * the risk as the reason. Without the risk (no P2, no permission) nothing changes.
 */
import type { CaFinding, CaPolicy, Fact, RiskyUserFact } from "../../model/index.js";

/** The account's current risk level, when Identity Protection holds it at risk; null otherwise. */
export function currentUserRisk(fact: Fact<RiskyUserFact>): string | null {
  if (!fact.ok) return null;
  const { riskLevel, riskState } = fact.value;
  if (riskState !== "atRisk" && riskState !== "confirmedCompromised") return null;
  return riskLevel === "none" || riskLevel === "hidden" ? null : riskLevel;
}

function userRiskLevels(policy: CaPolicy | undefined): string[] {
  const value = policy?.conditions?.userRiskLevels;
  return Array.isArray(value) ? value.map((v) => String(v).toLowerCase()) : [];
}

/** The findings with each policy the account's current user risk meets turned from `conditional` into `blocking`. */
export function applyUserRisk(findings: readonly CaFinding[], policies: readonly CaPolicy[], risk: string | null): CaFinding[] {
  if (risk === null) return [...findings];
  return findings.map((f) => {
    const only = f.conditions?.length === 1 && f.conditions[0]?.startsWith("user risk: ");
    if (f.effect !== "conditional" || !only) return f;
    if (!userRiskLevels(policies.find((p) => p.id === f.policyId)).includes(risk.toLowerCase())) return f;
    const { conditions: _met, ...rest } = f;
    return { ...rest, effect: "blocking", reason: `${f.reason}; the account's user risk is ${risk}, which meets the policy's user-risk condition` };
  });
}
