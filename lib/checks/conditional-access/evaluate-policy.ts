/**
 * One Conditional Access policy's verdict for the connection account (design: "Conditional
 * Access: does a policy apply to the account?"). Clauses in order: users, applications, client
 * apps, narrowing conditions, controls; then the policy state. A `disabled` policy has no verdict.
 *
 * Report-only: a policy in `enabledForReportingButNotEnforced` that would block, apply
 * conditionally or only set session controls is `report-only` (a warning that someone is about to
 * enforce it); one that would pass (excluded, not targeted, not applicable) keeps that verdict.
 */
import type { CaEffect, CaFinding, CaPolicy, Profile, SignInContext } from "../../model/index.js";
import type { AccountContext } from "./account-context.js";
import { evaluateApplications } from "./applications.js";
import { evaluateClientApps } from "./client-apps.js";
import { grantControls, sessionControls } from "./controls.js";
import { contextLabel } from "./contexts.js";
import type { LocationIndex } from "./locations.js";
import { missingFactName, profileMissingFacts, uniqueFacts, type MissingFactId } from "./missing-facts.js";
import { narrowingConditions } from "./narrowing.js";
import { evaluateContext, type ContextVerdict } from "./observed.js";
import { evaluateUsers } from "./users.js";

const REPORT_ONLY_STATE = "enabledForReportingButNotEnforced";

type PolicyProfile = Pick<Profile, "signInApps" | "clientAppTypes">;

/** The account's observed sign-in contexts (at least one) and the named locations to place them. */
export interface ObservedSignIns {
  readonly contexts: readonly SignInContext[];
  readonly locations: LocationIndex;
}

/** Clauses 2–4 over the observed contexts: one that meets everything, none at all, or undecided. */
type Coverage =
  | { readonly kind: "profile" }
  | { readonly kind: "meets"; readonly hit: ContextVerdict }
  | { readonly kind: "none"; readonly why: string }
  | { readonly kind: "maybe"; readonly open: readonly string[]; readonly missing: readonly MissingFactId[] };

function observedCoverage(policy: CaPolicy, observed: ObservedSignIns | undefined): Coverage {
  if (!observed || observed.contexts.length === 0) return { kind: "profile" };
  const verdicts = observed.contexts.map((c) => evaluateContext(policy, c, observed.locations));
  // A policy that certainly takes one sign-in the account really makes blocks that sign-in.
  const hit = verdicts.find((v) => v.applies === "yes");
  if (hit) return { kind: "meets", hit };
  if (verdicts.every((v) => v.applies === "no")) {
    const whys = [...new Set(verdicts.map((v) => `${contextLabel(v.context)}: ${v.why}`))];
    return { kind: "none", why: whys.slice(0, 3).join("; ") + (whys.length > 3 ? `; and ${whys.length - 3} more` : "") };
  }
  const maybe = verdicts.filter((v) => v.applies === "maybe");
  return { kind: "maybe", open: [...new Set(maybe.map((v) => v.why))], missing: uniqueFacts(maybe.flatMap((v) => v.missing)) };
}

type Extra = Pick<CaFinding, "controls" | "conditions"> & { readonly missing?: readonly MissingFactId[] };

function finding(policy: CaPolicy, effect: CaEffect, reason: string, extra: Extra = {}): CaFinding {
  const out: { -readonly [K in keyof CaFinding]: CaFinding[K] } = {
    policyId: policy.id,
    policyName: policy.displayName,
    state: policy.state,
    effect,
    reason,
  };
  if (extra.controls && extra.controls.length > 0) out.controls = extra.controls;
  if (extra.conditions && extra.conditions.length > 0) out.conditions = extra.conditions;
  // Only an undecided verdict (one with conditions) rests on a fact: a certain one does not.
  if (out.conditions && extra.missing && extra.missing.length > 0) out.missingFacts = extra.missing.map(missingFactName);
  return out;
}

/** The verdict, or null for a disabled policy (it is not listed in the findings). */
export function evaluatePolicy(policy: CaPolicy, ctx: AccountContext, profile: PolicyProfile, observed?: ObservedSignIns): CaFinding | null {
  if (policy.state === "disabled") return null;

  const scope = evaluateUsers(policy, ctx);
  if (scope.kind === "not-targeted") return finding(policy, "not-targeted", scope.why);
  if (scope.kind === "excluded") return finding(policy, "excluded", `excluded via ${scope.via}`);
  const scopeText = scope.kind === "included" ? `included via ${scope.via}` : scope.why;

  // Apps and client types are judged even when the scope is uncertain: a policy that cannot meet
  // the account's sign-ins passes whatever its membership says, so it need not be `unknown`.
  // The account's observed sign-ins, when there are any, replace the profile's assumed context.
  const coverage = observedCoverage(policy, observed);
  let conditions: string[];
  let missing: readonly MissingFactId[] = [];
  if (coverage.kind === "profile") {
    const apps = evaluateApplications(policy, profile.signInApps);
    if (!apps.applies) return finding(policy, "not-applicable", `${scopeText}, but ${apps.why}`);
    const clients = evaluateClientApps(policy, profile.clientAppTypes);
    if (!clients.applies) return finding(policy, "not-applicable", `${scopeText}, but ${clients.why}`);
    conditions = [...apps.narrowing, ...narrowingConditions(policy.conditions)];
    missing = profileMissingFacts(policy);
  } else if (coverage.kind === "none") {
    return finding(policy, "not-applicable", `${scopeText}, but none of the account's recent sign-ins meets it (${coverage.why}); a new sign-in context could`);
  } else {
    conditions = coverage.kind === "maybe" ? [...coverage.open] : [];
    missing = coverage.kind === "maybe" ? coverage.missing : [];
  }
  const controls = grantControls(policy);
  const session = sessionControls(policy);

  let effect: CaEffect;
  let reason = coverage.kind === "meets" ? `${scopeText}; applies to sign-ins from ${contextLabel(coverage.hit.context)}` : scopeText;
  if (controls.length > 0) {
    effect = conditions.length > 0 ? "conditional" : "blocking";
    if (coverage.kind === "meets") reason = `${scopeText}; blocks sign-ins from ${contextLabel(coverage.hit.context)}`;
    if (coverage.kind === "meets" && coverage.hit.why !== "") reason = `${reason} (${coverage.hit.why})`;
  } else if (session.length > 0) {
    effect = "session-only";
    reason = `${reason}; session controls only (${session.join(", ")})`;
  } else {
    return finding(policy, "not-applicable", `${scopeText}, but it has no grant or session controls`);
  }

  if (scope.kind === "unknown") return finding(policy, "unknown", scope.why, { controls, conditions, missing });
  if (policy.state === REPORT_ONLY_STATE) {
    const would = effect === "blocking" ? "would block" : effect === "conditional" ? "would apply conditionally" : "would set session controls";
    return finding(policy, "report-only", `${reason}; report-only, ${would} if enforced`, { controls, conditions, missing });
  }
  return finding(policy, effect, reason, { controls, conditions, missing });
}
