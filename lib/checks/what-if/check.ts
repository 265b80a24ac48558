/**
 * The What If cross-check: Microsoft's own evaluator (`conditionalAccess/evaluate`) against ours,
 * for the account's observed sign-in contexts (or the profile's assumed one). A disagreement is a
 * warning with both answers; Microsoft's documented gaps are handled (compare.ts). A refusal or a
 * throttled call makes the cross-check `skipped` with its reason, never a failure of the check.
 */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { buildAccountContext } from "../conditional-access/account-context.js";
import { contextLabel } from "../conditional-access/contexts.js";
import { locationIndex } from "../conditional-access/locations.js";
import { gate, plural, result } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { compareAll, type Comparison } from "./compare.js";

const meta = checkMeta({
  id: "what-if",
  title: "Microsoft's What If agrees with our Conditional Access verdicts",
  requirement: "R14",
  requiredState: "Microsoft's What If evaluation of the account's sign-ins agrees with the Conditional Access check (needs Policy.Read.ConditionalAccess)",
  shortName: "What If cross-check",
  rank: 14,
  severity: "soon",
  facts: ["account", "membership", "roleAssignments", "conditionalAccessPolicies", "namedLocations"],
  description:
    "For each sign-in context the account was seen with (or the profile's assumed one), Microsoft's What If evaluation says which Conditional " +
    "Access policies apply. Where it disagrees with our evaluator, one of the two is wrong about this tenant: look at the policy by hand.",
  remediation: [
    "Open the policy and the Entra admin center's What If tool (Protection → Conditional Access → Policies → What If) with the account and the sign-in named,",
    "and decide which answer is right; if the policy does apply, exclude the connection account from it.",
  ].join("\n"),
  links: [{ label: "Entra admin center → Conditional Access → What If", url: "https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/WhatIfBlade" }],
  references: [
    "https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate",
    "https://learn.microsoft.com/entra/identity/conditional-access/what-if-tool",
  ],
});

function line(d: Extract<Comparison, { kind: "disagree" }>): string {
  const what = `our evaluator and Microsoft's What If disagree on policy "${d.policy.displayName}" for sign-ins from ${contextLabel(d.context)}`;
  return `${what}: ours: ${d.ours}; What If: ${d.theirs}`;
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const whatIf = facts.whatIf;
  if (!whatIf || !facts.conditionalAccessPolicies.ok) {
    return result(meta, "skipped", "What If was not evaluated", {
      reason: "The Conditional Access policies or the account could not be read, so nothing was asked.",
    });
  }
  if (whatIf.status === "skipped") {
    return result(meta, "skipped", whatIf.permission ? `Skipped: grant ${whatIf.permission} to cross-check` : "Skipped: What If did not answer", {
      reason: whatIf.reason,
    });
  }
  const account = buildAccountContext(g.account.id, facts);
  const index = locationIndex(facts.namedLocations.ok ? facts.namedLocations.value : null);
  const all = compareAll(facts.conditionalAccessPolicies.value, account, whatIf.contexts, index, whatIf.answers);
  const count = (kind: Comparison["kind"]): number => all.filter((c) => c.kind === kind).length;
  const evidence = [
    `What If evaluated ${plural(whatIf.contexts.length, "sign-in context", "sign-in contexts")} at ${whatIf.evaluatedAt}: ` +
      `${count("agree")} agreed, ${count("gap")} within What If's documented gaps, ${count("undecided")} not decidable by our evaluator`,
    ...all.flatMap((c) => (c.kind === "gap" ? [`"${c.policy.displayName}" for ${contextLabel(c.context)}: ${c.gap}`] : [])),
  ];
  const disagreements = all.filter((c): c is Extract<Comparison, { kind: "disagree" }> => c.kind === "disagree");
  if (disagreements.length === 0) return result(meta, "pass", "Microsoft's What If agrees with our verdicts", { evidence });
  const policies = new Set(disagreements.map((d) => d.policy.id));
  return result(meta, "warn", `Our evaluator and Microsoft's What If disagree on ${plural(policies.size, "policy", "policies")}`, {
    reason: disagreements.map(line).join("; "),
    evidence,
  });
}

export const whatIfCheck = defineCheck(meta, run);
