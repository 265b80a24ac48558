/**
 * `PATCH /identity/conditionalAccess/policies/{id}` (learn.microsoft.com/graph/api/conditionalaccesspolicy-update):
 * the properties sent replace the stored ones, `conditions` merging into the stored conditions;
 * 204 No Content. Needs Policy.Read.All and Policy.ReadWrite.ConditionalAccess (the route's gate).
 *
 * A Microsoft-managed policy takes only "limited modifications, mainly state changes and
 * exclusions" (learn.microsoft.com/entra/identity/conditional-access/managed-policies): any other
 * change is refused with a 400. Graph documents no body for that refusal; the sim's message is its own.
 */
import type { GraphCaPolicy, JsonObject, JsonValue, SimResponse } from "../types.js";
import type { Handler } from "./context.js";
import { commit } from "./context.js";
import { badRequest, notFound } from "../errors.js";
import { GUID, graphMerge, isObject, noContent, notStringArray, patchBody, unexpectedProperty } from "./patch.js";

const UPDATABLE = ["displayName", "state", "conditions", "grantControls", "sessionControls"];
const STATES = ["enabled", "disabled", "enabledForReportingButNotEnforced"];
const USER_LISTS = ["includeUsers", "excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles"];
/** What excludeUsers may name besides object ids. */
const SPECIAL_USERS = ["GuestsOrExternalUsers", "All", "None"];
const MANAGED_PREFIX = "microsoft-managed:";

function usersProblem(users: JsonValue | undefined): string | undefined {
  if (users === undefined || users === null) return undefined;
  if (!isObject(users)) return "Property 'conditions.users' must be an object.";
  for (const list of USER_LISTS) {
    const problem = notStringArray(users[list], `conditions.users.${list}`);
    if (problem) return problem;
  }
  const ids = [...((users.excludeUsers as string[] | null | undefined) ?? []), ...((users.includeUsers as string[] | null | undefined) ?? [])];
  const bad = ids.find((id) => !GUID.test(id) && !SPECIAL_USERS.includes(id));
  return bad === undefined ? undefined : `'${bad}' is not a valid user object id in conditions.users.`;
}

function validate(body: JsonObject): string | undefined {
  const unexpected = unexpectedProperty(body, UPDATABLE, "conditionalAccessPolicy");
  if (unexpected) return unexpected;
  if (body.state !== undefined && (typeof body.state !== "string" || !STATES.includes(body.state))) {
    return `Invalid value '${String(body.state)}' for property 'state': expected one of ${STATES.join(", ")}.`;
  }
  if (body.displayName !== undefined && (typeof body.displayName !== "string" || body.displayName.trim() === "")) {
    return "Property 'displayName' must be a non-empty string.";
  }
  if (body.conditions !== undefined && !isObject(body.conditions)) return "Property 'conditions' must be an object.";
  return isObject(body.conditions) ? usersProblem(body.conditions.users) : undefined;
}

/** The policy without what an administrator may change on a Microsoft-managed one. */
function managedInvariant(policy: JsonObject): string {
  const { state: _state, modifiedDateTime: _modified, conditions, ...rest } = policy;
  const c = isObject(conditions) ? conditions : {};
  const users = isObject(c.users) ? c.users : {};
  const { excludeUsers: _u, excludeGroups: _g, excludeRoles: _r, ...keptUsers } = users;
  return JSON.stringify({ ...rest, conditions: { ...c, users: keptUsers } });
}

function isMicrosoftManaged(policy: GraphCaPolicy): boolean {
  return policy.displayName.toLowerCase().startsWith(MANAGED_PREFIX);
}

export const updateCaPolicy: Handler = (ctx, [id]): SimResponse => {
  const find = (): GraphCaPolicy | undefined => ctx.tenant.conditionalAccessPolicies.find((p) => p.id.toLowerCase() === id!.toLowerCase());
  const policy = find();
  if (!policy) return notFound(`Could not find policy with id '${id}'.`);
  const parsed = patchBody(ctx.body);
  if ("error" in parsed) return parsed.error;
  const problem = validate(parsed.body);
  if (problem) return badRequest(problem);
  const merged = graphMerge(policy, parsed.body) as GraphCaPolicy;
  if (isMicrosoftManaged(policy) && managedInvariant(merged) !== managedInvariant(policy)) {
    return badRequest("A Microsoft-managed policy accepts only changes to its state and its user, group and role exclusions.");
  }
  const modified = ctx.now.toISOString();
  commit(ctx, () => {
    // Applied to the policy as it is when the write lands, as Graph's store would.
    const live = find();
    if (live) Object.assign(live, graphMerge(live, parsed.body), { modifiedDateTime: modified });
  });
  return noContent();
};
