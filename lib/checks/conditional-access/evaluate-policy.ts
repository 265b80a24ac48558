/**
 * One Conditional Access policy's verdict for the connection account (design: "Conditional
 * Access: does a policy apply to the account?"). Clauses in order: users, applications, client
 * apps, narrowing conditions, controls; then the policy state. A `disabled` policy has no verdict.
 *
 * Report-only: a policy in `enabledForReportingButNotEnforced` that would block, apply
 * conditionally or only set session controls is `report-only` (a warning that someone is about to
 * enforce it); one that would pass (excluded, not targeted, not applicable) keeps that verdict.
 */
import type { CaEffect, CaFinding, CaPolicy, Profile } from "../../model/index.js";
import type { AccountContext } from "./account-context.js";
import { evaluateApplications } from "./applications.js";
import { evaluateClientApps } from "./client-apps.js";
import { grantControls, sessionControls } from "./controls.js";
import { narrowingConditions } from "./narrowing.js";
import { evaluateUsers } from "./users.js";

const REPORT_ONLY_STATE = "enabledForReportingButNotEnforced";

type PolicyProfile = Pick<Profile, "signInApps" | "clientAppTypes">;

function finding(policy: CaPolicy, effect: CaEffect, reason: string, extra: Pick<CaFinding, "controls" | "conditions"> = {}): CaFinding {
  const out: { -readonly [K in keyof CaFinding]: CaFinding[K] } = {
    policyId: policy.id,
    policyName: policy.displayName,
    state: policy.state,
    effect,
    reason,
  };
  if (extra.controls && extra.controls.length > 0) out.controls = extra.controls;
  if (extra.conditions && extra.conditions.length > 0) out.conditions = extra.conditions;
  return out;
}

/** The verdict, or null for a disabled policy (it is not listed in the findings). */
export function evaluatePolicy(policy: CaPolicy, ctx: AccountContext, profile: PolicyProfile): CaFinding | null {
  if (policy.state === "disabled") return null;

  const scope = evaluateUsers(policy, ctx);
  if (scope.kind === "not-targeted") return finding(policy, "not-targeted", scope.why);
  if (scope.kind === "excluded") return finding(policy, "excluded", `excluded via ${scope.via}`);
  const scopeText = scope.kind === "included" ? `included via ${scope.via}` : scope.why;

  // Apps and client types are judged even when the scope is uncertain: a policy that cannot meet
  // the account's sign-ins passes whatever its membership says, so it need not be `unknown`.
  const apps = evaluateApplications(policy, profile.signInApps);
  if (!apps.applies) return finding(policy, "not-applicable", `${scopeText}, but ${apps.why}`);
  const clients = evaluateClientApps(policy, profile.clientAppTypes);
  if (!clients.applies) return finding(policy, "not-applicable", `${scopeText}, but ${clients.why}`);

  const conditions = [...apps.narrowing, ...narrowingConditions(policy.conditions)];
  const controls = grantControls(policy);
  const session = sessionControls(policy);

  let effect: CaEffect;
  let reason = scopeText;
  if (controls.length > 0) {
    effect = conditions.length > 0 ? "conditional" : "blocking";
  } else if (session.length > 0) {
    effect = "session-only";
    reason = `${scopeText}; session controls only (${session.join(", ")})`;
  } else {
    return finding(policy, "not-applicable", `${scopeText}, but it has no grant or session controls`);
  }

  if (scope.kind === "unknown") return finding(policy, "unknown", scope.why, { controls, conditions });
  if (policy.state === REPORT_ONLY_STATE) {
    const would = effect === "blocking" ? "would block" : effect === "conditional" ? "would apply conditionally" : "would set session controls";
    return finding(policy, "report-only", `${reason}; report-only, ${would} if enforced`, { controls, conditions });
  }
  return finding(policy, effect, reason, { controls, conditions });
}
