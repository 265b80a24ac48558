/**
 * Clauses 2–4 for one observed sign-in context (design: "The account's real sign-ins"): the
 * context's resource app, client app type, location and platform against the policy's conditions.
 * Three-valued: `no` names the first condition the context does not meet; `maybe` names what the
 * facts cannot decide (risk, device filters and states, authentication flows, an application
 * filter, an unknown IP, location or platform); `yes` means every condition is met.
 */
import type { CaPolicy, SignInContext } from "../../model/index.js";
import { appName } from "../well-known.js";
import { filterMode, list, names } from "./applications.js";
import { BASELINE_SCOPES_CONDITION, BASELINE_SCOPES_NOTE, excludedButReached } from "./baseline-scopes.js";
import { clientAppTypeOf, platformOf } from "./contexts.js";
import { locationCondition, type ConditionResult, type LocationIndex, type Tri } from "./locations.js";
import { policyMissingFacts, uniqueFacts, type MissingFactId } from "./missing-facts.js";
import { narrowingConditions } from "./narrowing.js";

export interface ContextVerdict {
  readonly context: SignInContext;
  readonly applies: Tri;
  /** For `no`: the condition not met; for `maybe`: what is undecided; for `yes`: empty, or why an excluded resource still counts. */
  readonly why: string;
  /** For `maybe`: the facts Graph cannot give that leave it undecided. */
  readonly missing: readonly MissingFactId[];
}

function applicationCondition(policy: CaPolicy, c: SignInContext): ConditionResult {
  const apps = policy.conditions?.applications ?? null;
  if (apps === null) return { result: "yes", why: "" };
  const include = list(apps.includeApplications);
  const exclude = list(apps.excludeApplications);
  const app = c.resourceId;
  const label = c.resourceDisplayName ?? (app ? appName(app) : "an unknown resource");
  if (app === null)
    return { result: include.some((a) => a.toLowerCase() === "all") && exclude.length === 0 ? "yes" : "maybe", why: `applications: the resource is unknown` };
  if (names(include, app) && !names(exclude, app)) return { result: "yes", why: "" };
  // An include-mode application filter may take the app by attributes we cannot see.
  if (filterMode(apps) === "include") {
    return { result: "maybe", why: `application filter (include): whether it takes ${label} is unknown`, missing: ["custom-security-attributes"] };
  }
  if (names(include, app)) {
    const reached = excludedButReached(apps, app);
    if (reached === "yes") return { result: "yes", why: `${label} is among its excluded applications, but ${BASELINE_SCOPES_NOTE}` };
    if (reached === "maybe") return { result: "maybe", why: `${label} is among its excluded applications, but ${BASELINE_SCOPES_CONDITION}` };
    return { result: "no", why: `${label} is among its excluded applications` };
  }
  return { result: "no", why: `its applications do not include ${label}` };
}

function clientCondition(policy: CaPolicy, c: SignInContext): ConditionResult {
  const types = (policy.conditions?.clientAppTypes ?? []).filter((t): t is string => typeof t === "string");
  if (types.length === 0 || types.some((t) => t.toLowerCase() === "all")) return { result: "yes", why: "" };
  const type = clientAppTypeOf(c);
  if (type === null) return { result: "maybe", why: "client apps: the client app type is not logged" };
  const hit = types.some((t) => t.toLowerCase() === type.toLowerCase() || (type === "exchangeActiveSync" && t.toLowerCase() === "easSupported".toLowerCase()));
  return hit ? { result: "yes", why: "" } : { result: "no", why: `its client apps (${types.join(", ")}) do not include ${type}` };
}

function platformCondition(policy: CaPolicy, c: SignInContext): ConditionResult {
  const include = list(policy.conditions?.platforms?.includePlatforms).map((p) => p.toLowerCase());
  const exclude = list(policy.conditions?.platforms?.excludePlatforms).map((p) => p.toLowerCase());
  if ((include.length === 0 || include.includes("all")) && exclude.length === 0) return { result: "yes", why: "" };
  const platform = platformOf(c);
  if (platform === null) return { result: "maybe", why: `platforms: the platform (${c.operatingSystem ?? "not logged"}) is unknown` };
  const p = platform.toLowerCase();
  if (!(include.includes("all") || include.includes(p))) return { result: "no", why: `its platforms (${include.join(", ")}) do not include ${platform}` };
  if (exclude.includes(p)) return { result: "no", why: `its excluded platforms include ${platform}` };
  return { result: "yes", why: "" };
}

/** The conditions no sign-in log decides: they keep a met policy `maybe`. */
function undecidable(policy: CaPolicy): string[] {
  const conditions = policy.conditions;
  if (conditions === null) return [];
  return narrowingConditions({ ...conditions, locations: null, platforms: null });
}

export function evaluateContext(policy: CaPolicy, c: SignInContext, index: LocationIndex): ContextVerdict {
  const app = applicationCondition(policy, c);
  const results = [app, clientCondition(policy, c), locationCondition(policy, c, index), platformCondition(policy, c)];
  const no = results.find((r) => r.result === "no");
  if (no) return { context: c, applies: "no", why: no.why, missing: [] };
  const maybe = results.filter((r) => r.result === "maybe");
  const open = [...maybe.map((r) => r.why), ...undecidable(policy)];
  // A met application condition names why an excluded resource still counts; the others say nothing here.
  if (open.length === 0) return { context: c, applies: "yes", why: app.why, missing: [] };
  const missing = uniqueFacts([...maybe.flatMap((r) => r.missing ?? []), ...policyMissingFacts(policy)]);
  return { context: c, applies: "maybe", why: open.join("; "), missing };
}
