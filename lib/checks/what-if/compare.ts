/**
 * Our verdict against Microsoft's What If, per policy and sign-in context (pure). What If answers
 * whether a policy's conditions take a sign-in (`policyApplies`, `analysisReasons`:
 * learn.microsoft.com/graph/api/resources/whatifanalysisresult); we compare that with our own
 * users + clauses 2–4 for the same context. Microsoft's documented What If gaps are handled, not
 * reported as disagreements (learn.microsoft.com/entra/identity/conditional-access/what-if-tool,
 * learn.microsoft.com/graph/api/conditionalaccessroot-evaluate):
 * - a condition whose sign-in detail the request left out is counted as not met ("if the sign-in
 *   details for those conditions are missing in the request, the What If tool can't evaluate those
 *   conditions"): a "does not apply" for such a reason is not a disagreement;
 * - app groups such as Office 365 are not expanded: a "does not apply" for `application` on a policy
 *   that targets the app through a group keyword is not a disagreement;
 * - service dependencies are not evaluated ("The What If tool doesn't test for Conditional Access
 *   service dependencies"): a policy that reaches the app only through a dependency (Teams →
 *   Exchange, SharePoint) is not compared.
 * Where our evaluator cannot decide (risk, device filters, unknown IP), nothing is compared.
 */
import type { CaPolicy, SignInContext, WhatIfAnswer } from "../../model/index.js";
import type { AccountContext } from "../conditional-access/account-context.js";
import { contextKey } from "../conditional-access/context-key.js";
import { list } from "../conditional-access/applications.js";
import type { LocationIndex } from "../conditional-access/locations.js";
import { evaluateContext } from "../conditional-access/observed.js";
import { evaluateUsers } from "../conditional-access/users.js";
import { APP } from "../well-known.js";
import { platformOf } from "../conditional-access/contexts.js";

export type Comparison =
  | { readonly kind: "agree"; readonly policy: CaPolicy; readonly context: SignInContext }
  | { readonly kind: "undecided"; readonly policy: CaPolicy; readonly context: SignInContext }
  | { readonly kind: "gap"; readonly policy: CaPolicy; readonly context: SignInContext; readonly gap: string }
  | { readonly kind: "disagree"; readonly policy: CaPolicy; readonly context: SignInContext; readonly ours: string; readonly theirs: string };

/** App group keywords What If does not expand. */
const APP_GROUPS = new Set(["office365", "microsoftadminportals"]);

/** Services a resource app depends on, whose policies apply to it at sign-in (what-if-tool: Teams needs Exchange and SharePoint). */
const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  [APP.teamsServices]: [APP.exchangeOnline, APP.sharePointOnline],
};

/** Reasons that are conditions a sign-in detail decides; which of them the request carried. */
function leftOut(reason: string, c: SignInContext): boolean {
  switch (reason.toLowerCase()) {
    case "notenoughinformation":
    case "signinrisk":
    case "userrisk":
    case "insiderrisk":
    case "devices":
    case "authenticationflow":
    case "time":
      return true;
    case "location":
      return c.ipAddress === null && c.country === null;
    case "deviceplatform":
      return platformOf(c) === null;
    default:
      return false;
  }
}

function ourAnswer(policy: CaPolicy, account: AccountContext, c: SignInContext, index: LocationIndex): { applies: "yes" | "no" | "maybe"; why: string } {
  const users = evaluateUsers(policy, account);
  if (users.kind === "unknown") return { applies: "maybe", why: users.why };
  if (users.kind === "excluded") return { applies: "no", why: `excluded via ${users.via}` };
  if (users.kind === "not-targeted") return { applies: "no", why: users.why };
  const v = evaluateContext(policy, c, index);
  return { applies: v.applies, why: v.applies === "yes" ? `included via ${users.via}, every condition met` : v.why };
}

export function compareAnswer(policy: CaPolicy, account: AccountContext, c: SignInContext, index: LocationIndex, answer: WhatIfAnswer): Comparison {
  const ours = ourAnswer(policy, account, c, index);
  if (ours.applies === "maybe") return { kind: "undecided", policy, context: c };
  const theirsApplies = answer.policyApplies;
  if ((ours.applies === "yes") === theirsApplies) return { kind: "agree", policy, context: c };
  const reason = answer.analysisReasons ?? "notSet";
  const include = list(policy.conditions?.applications?.includeApplications);
  if (!theirsApplies && leftOut(reason, c))
    return { kind: "gap", policy, context: c, gap: `What If counts the ${reason} condition as not met: the sign-in detail it needs is not logged` };
  if (!theirsApplies && reason.toLowerCase() === "application" && include.some((a) => APP_GROUPS.has(a.toLowerCase()))) {
    return { kind: "gap", policy, context: c, gap: "What If does not expand app groups such as Office 365" };
  }
  const deps = c.resourceId ? (SERVICE_DEPENDENCIES[c.resourceId] ?? []) : [];
  if (theirsApplies && include.some((a) => deps.includes(a.toLowerCase()))) {
    return { kind: "gap", policy, context: c, gap: "the policy reaches the app through a service dependency" };
  }
  return {
    kind: "disagree",
    policy,
    context: c,
    ours: ours.applies === "yes" ? `applies (${ours.why})` : `does not apply (${ours.why})`,
    theirs: theirsApplies ? "applies" : `does not apply (${reason})`,
  };
}

/** Every answer compared; answers for unknown or disabled policies and unknown contexts are left out. */
export function compareAll(
  policies: readonly CaPolicy[],
  account: AccountContext,
  contexts: readonly SignInContext[],
  index: LocationIndex,
  answers: readonly WhatIfAnswer[],
): Comparison[] {
  const byId = new Map(policies.map((p) => [p.id.toLowerCase(), p]));
  const byKey = new Map(contexts.map((c) => [contextKey(c), c]));
  return answers.flatMap((a) => {
    const policy = byId.get(a.policyId.toLowerCase());
    const c = byKey.get(a.context);
    if (!policy || !c || policy.state === "disabled") return [];
    return [compareAnswer(policy, account, c, index, a)];
  });
}
