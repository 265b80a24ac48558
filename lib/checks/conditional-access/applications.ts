/**
 * Clause 2: does the policy cover a resource app the account signs in to? `All` covers every
 * app, `Office365` the Office workloads (not Graph, not Azure AD Graph), an id itself; exclusions
 * remove. User actions, authentication contexts, `None`, agent resources and other apps do not
 * cover a token request for the account's apps.
 */
import type { CaApplications, CaPolicy } from "../../model/index.js";
import { APP, appName, OFFICE365_APPS } from "../well-known.js";
import { BASELINE_SCOPES_CONDITION, isAllWithExclusions, signsInWithBaselineScopes } from "./baseline-scopes.js";

type AppCoverage =
  { readonly applies: true; readonly apps: readonly string[]; readonly narrowing: readonly string[] } | { readonly applies: false; readonly why: string };

export function list(values: readonly string[] | null | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === "string");
}

/** Does a list of Graph app targets name this app? Keywords compare case-insensitively. */
export function names(targets: readonly string[], appId: string): boolean {
  const app = appId.toLowerCase();
  return targets.some((t) => {
    const key = t.toLowerCase();
    return key === "all" || key === app || (key === "office365" && OFFICE365_APPS.has(app));
  });
}

export function filterMode(apps: CaApplications): string | null {
  const filter = apps.applicationFilter;
  if (filter === null || typeof filter !== "object") return null;
  const mode = (filter as { mode?: unknown }).mode;
  return typeof mode === "string" ? mode.toLowerCase() : "include";
}

export function evaluateApplications(policy: CaPolicy, signInApps: readonly string[]): AppCoverage {
  const apps = policy.conditions?.applications ?? null;
  // Graph always returns an applications condition for a user policy; if one ever lacks it, read
  // it as all apps rather than stay silent about a policy that may block.
  if (apps === null) return { applies: true, apps: signInApps.map(appName), narrowing: [] };

  const include = list(apps.includeApplications);
  const exclude = list(apps.excludeApplications);
  const covered = signInApps.filter((app) => names(include, app) && !names(exclude, app));
  // An application filter selects apps by custom security attributes we cannot see. In include
  // mode it limits the policy to the apps whose attributes match: it may or may not take the
  // account's apps, so it narrows. In exclude mode ("all resources except apps tagged X") it only
  // removes tagged apps; the Microsoft resource apps the account signs in to carry no such tag,
  // so it does not narrow.
  const mode = filterMode(apps);
  const narrowing = mode === "include" ? ["application filter (include): covers only apps whose custom security attributes match"] : [];
  if (covered.length > 0) return { applies: true, apps: covered.map(appName), narrowing };
  if (mode === "include") return { applies: true, apps: [], narrowing };
  // Excluded, but a baseline-scope sign-in is now evaluated as directory access (./baseline-scopes.ts).
  if (isAllWithExclusions(apps) && signsInWithBaselineScopes(signInApps)) {
    return { applies: true, apps: [appName(APP.azureAdGraph)], narrowing: [BASELINE_SCOPES_CONDITION] };
  }

  return { applies: false, why: notCoveredWhy(apps, include, exclude, signInApps) };
}

function notCoveredWhy(apps: CaApplications, include: readonly string[], exclude: readonly string[], signInApps: readonly string[]): string {
  const actions = list(apps.includeUserActions);
  const contexts = list(apps.includeAuthenticationContextClassReferences);
  if (include.length === 0 && actions.length > 0) return `it targets only user actions (${actions.join(", ")})`;
  if (include.length === 0 && contexts.length > 0) return `it targets only authentication contexts (${contexts.join(", ")})`;
  if (include.some((a) => a.toLowerCase() === "none")) return "its applications are None";
  if (include.length === 0) return "it targets no applications";
  if (signInApps.some((app) => names(include, app))) return "the account's apps are in its excluded applications";
  return `its applications (${include.map(appName).join(", ")}) are not ones the account signs in to`;
}
