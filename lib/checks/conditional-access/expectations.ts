/**
 * What the profile's Conditional Access expectation changes about the verdicts (lib/model/profile.ts
 * `conditionalAccess`): a grant the account satisfies by itself, and which effects fail or warn.
 * Microsoft's emergency access guidance: exclude the accounts "from Conditional Access policies
 * that block or restrict sign-in. Report-only policies don't block access and don't need to
 * exclude emergency accounts" (lib/checks/well-known.ts EMERGENCY_ACCESS_GUIDANCE).
 */
import type { AuthMethodFact, CaEffect, CaFinding, CaPolicy, ConditionalAccessExpectation, Fact } from "../../model/index.js";
import { satisfiesOnlyStrength } from "../phishing-resistant/methods.js";
import { sessionControls } from "./controls.js";

/** Effects that may stop a sign-in once enforced: a grant control stands between the account and its token. */
const GRANTED: ReadonlySet<CaEffect> = new Set(["blocking", "conditional", "report-only", "unknown"]);

/**
 * A policy whose only grant is a phishing-resistant authentication strength the account satisfies
 * with its registered methods does not stop it: it is judged on its session controls alone.
 */
export function applySatisfiedGrant(
  finding: CaFinding,
  policy: CaPolicy,
  expectation: ConditionalAccessExpectation,
  methods: Fact<readonly AuthMethodFact[]>,
): CaFinding {
  if (expectation.satisfies !== "phishing-resistant-strength" || !GRANTED.has(finding.effect) || !methods.ok) return finding;
  if (!satisfiesOnlyStrength(policy.grantControls, methods.value)) return finding;
  const satisfied = `${finding.reason}; its only grant, a phishing-resistant authentication strength, is one the account's registered methods satisfy`;
  const { controls: _controls, ...rest } = finding;
  const session = sessionControls(policy);
  if (session.length > 0 && finding.effect !== "report-only") {
    return { ...rest, effect: "session-only", reason: `${satisfied}; session controls only (${session.join(", ")})` };
  }
  const { conditions: _conditions, missingFacts: _missing, ...plain } = rest;
  return { ...plain, effect: "not-applicable", reason: satisfied };
}

/** The findings the profile counts as failing and as warnings. */
export function classify(findings: readonly CaFinding[], expectation: ConditionalAccessExpectation): { blocking: CaFinding[]; warning: CaFinding[] } {
  const fails = new Set<CaEffect>(["blocking"]);
  const warns = new Set<CaEffect>();
  (expectation.conditional === "fail" ? fails : warns).add("conditional");
  (expectation.sessionOnly === "fail" ? fails : warns).add("session-only");
  if (expectation.reportOnly === "warn") warns.add("report-only");
  return { blocking: findings.filter((f) => fails.has(f.effect)), warning: findings.filter((f) => warns.has(f.effect)) };
}
