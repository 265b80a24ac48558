/**
 * "All resources" with resource exclusions (docs/conditional-access.md, "All resources with
 * resource exclusions"). Microsoft now evaluates a sign-in whose client requests only baseline
 * scopes — the OpenID Connect scopes (email, offline_access, openid, profile) and the basic
 * directory scopes (User.Read, User.Read.All, User.ReadBasic.All, People.Read, People.Read.All,
 * GroupMember.Read.All, Member.Read.Hidden) — as directory access to Windows Azure Active Directory
 * (Azure AD Graph), and a policy that targets All resources with one or more resource exclusions
 * is enforced on it: the excluded resources no longer exempt it. Rolled out from 2026-06-15
 * (learn.microsoft.com/entra/identity/conditional-access/concept-enforcement-resource-exclusions,
 * concept-conditional-access-cloud-apps#new-conditional-access-behavior-when-an-all-resources-policy-has-a-resource-exclusion).
 *
 * The baseline scopes are Microsoft Graph's and Azure AD Graph's, so only a sign-in to one of those
 * two can be such a sign-in; a token for Exchange or SharePoint carries their scopes and is judged
 * as before (Microsoft's example: an excluded Exchange stays excluded). The sign-in log does not
 * list the scopes requested, so a sign-in to Microsoft Graph that its exclusions exempted may now
 * be caught: `conditional`. One the log records against Windows Azure Active Directory is that
 * directory access itself: the policy takes it. The tenant-wide "Baseline scopes settings" that
 * can keep the old behaviour are not readable through Graph, so the default (enforced) is judged.
 */
import type { CaApplications } from "../../model/index.js";
import { APP } from "../well-known.js";

/** The narrowing condition a policy gets when only baseline-scope sign-ins can reach the account. */
export const BASELINE_SCOPES_CONDITION =
  "baseline scopes: a sign-in that requests only OpenID Connect or basic directory scopes (User.Read, …) is evaluated as " +
  "Windows Azure Active Directory, which resource exclusions no longer exempt (Microsoft's rollout from 2026-06-15)";

/** Why an excluded resource no longer exempts a sign-in Microsoft evaluates as directory access. */
export const BASELINE_SCOPES_NOTE = "its resource exclusions do not exempt directory access (baseline scopes) since Microsoft's rollout from 2026-06-15";

/** The resources whose scopes the baseline scopes are. */
const BASELINE_SCOPE_RESOURCES: ReadonlySet<string> = new Set([APP.microsoftGraph, APP.azureAdGraph]);

function strings(values: readonly string[] | null | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === "string");
}

/** Does the policy target All resources with one or more resource exclusions? */
export function isAllWithExclusions(apps: CaApplications | null): boolean {
  if (apps === null) return false;
  return strings(apps.includeApplications).some((a) => a.toLowerCase() === "all") && strings(apps.excludeApplications).length > 0;
}

/**
 * For a sign-in to `resourceId` that the policy's exclusions exempt: `yes` when Microsoft now
 * evaluates it as directory access (logged against Windows Azure Active Directory), `maybe` when
 * it may be a baseline-scope sign-in (Microsoft Graph), `no` when it cannot be (or the policy is
 * not All resources with exclusions).
 */
export function excludedButReached(apps: CaApplications | null, resourceId: string): "yes" | "no" | "maybe" {
  if (!isAllWithExclusions(apps)) return "no";
  const id = resourceId.toLowerCase();
  if (id === APP.azureAdGraph) return "yes";
  return BASELINE_SCOPE_RESOURCES.has(id) ? "maybe" : "no";
}

/** Among the account's assumed resource apps, does one take baseline-scope sign-ins? */
export function signsInWithBaselineScopes(signInApps: readonly string[]): boolean {
  return signInApps.some((app) => BASELINE_SCOPE_RESOURCES.has(app.toLowerCase()));
}
