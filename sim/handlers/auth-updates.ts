/**
 * Three writes on a user's sign-in requirements, each as its Graph page documents it:
 * - `PATCH /beta/users/{id}/authentication/requirements` `{ perUserMfaState }` (learn.microsoft.com/graph/api/authentication-update?view=graph-rest-beta):
 *   204; "enabled" on a user who has registered an MFA method becomes "enforced"
 *   (learn.microsoft.com/graph/api/resources/strongauthenticationrequirements?view=graph-rest-beta).
 * - `PATCH /policies/authenticationMethodsPolicy` (learn.microsoft.com/graph/api/authenticationmethodspolicy-update):
 *   200 with the policy; `registrationEnforcement.authenticationMethodsRegistrationCampaign` merges,
 *   its target collections are replaced whole.
 * - `PATCH /users/{id}` `{ passwordPolicies }` (learn.microsoft.com/graph/api/user-update): 204.
 */
import type { JsonObject, JsonValue, PerUserMfaState, SimResponse } from "../types.js";
import type { Handler } from "./context.js";
import { commit, contextUrl } from "./context.js";
import { ok } from "../errors.js";
import { findUser, userNotFound } from "./users.js";
import { graphMerge, invalidUpdate, isObject, noContent, patchBody, unexpectedProperty } from "./patch.js";
import { AUTH_METHODS_POLICY_BETA_ONLY, servedOn } from "./versions.js";

const MFA_STATES: readonly PerUserMfaState[] = ["disabled", "enabled", "enforced"];
const NOT_MFA_METHODS = [
  "#microsoft.graph.passwordAuthenticationMethod",
  "#microsoft.graph.emailAuthenticationMethod",
  "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
];

function hasMfaMethod(methods: JsonObject[] | undefined): boolean {
  return (methods ?? []).some((m) => !NOT_MFA_METHODS.includes(String(m["@odata.type"] ?? "")));
}

export const updatePerUserMfa: Handler = (ctx, [ref]) => {
  const user = findUser(ctx.tenant, ref!);
  if (!user) return userNotFound(ref!);
  const parsed = patchBody(ctx.body);
  if ("error" in parsed) return parsed.error;
  const unexpected = unexpectedProperty(parsed.body, ["perUserMfaState"], "strongAuthenticationRequirements");
  if (unexpected) return invalidUpdate(unexpected);
  const state = parsed.body.perUserMfaState;
  if (typeof state !== "string" || !(MFA_STATES as readonly string[]).includes(state)) {
    return invalidUpdate(`Invalid value '${String(state)}' for property 'perUserMfaState': expected one of ${MFA_STATES.join(", ")}.`);
  }
  const next = state === "enabled" && hasMfaMethod(ctx.tenant.authenticationMethods[user.id]) ? "enforced" : (state as PerUserMfaState);
  commit(ctx, () => {
    ctx.tenant.perUserMfa[user.id] = next;
  });
  return noContent();
};

const CAMPAIGN_STATES = ["default", "enabled", "disabled"];
const TARGET_TYPES = ["user", "group"];

function targetsProblem(targets: JsonValue | undefined, name: string): string | undefined {
  if (targets === undefined) return undefined;
  if (!Array.isArray(targets)) return `Property '${name}' must be a collection.`;
  const bad = targets.find((t) => !isObject(t) || typeof t.id !== "string" || t.id === "" || !TARGET_TYPES.includes(String(t.targetType)));
  return bad === undefined ? undefined : `Each of '${name}' needs an 'id' and a 'targetType' of ${TARGET_TYPES.join(" or ")}.`;
}

function campaignProblem(body: JsonObject): string | undefined {
  const unexpected = unexpectedProperty(
    body,
    ["registrationEnforcement", "reportSuspiciousActivitySettings", "systemCredentialPreferences"],
    "authenticationMethodsPolicy",
  );
  if (unexpected) return unexpected;
  const enforcement = body.registrationEnforcement;
  if (enforcement === undefined) return undefined;
  if (!isObject(enforcement)) return "Property 'registrationEnforcement' must be an object.";
  const campaign = enforcement.authenticationMethodsRegistrationCampaign;
  if (campaign === undefined) return undefined;
  if (!isObject(campaign)) return "Property 'authenticationMethodsRegistrationCampaign' must be an object.";
  if (campaign.state !== undefined && !CAMPAIGN_STATES.includes(String(campaign.state))) {
    return `Invalid value '${String(campaign.state)}' for property 'state': expected one of ${CAMPAIGN_STATES.join(", ")}.`;
  }
  const snooze = campaign.snoozeDurationInDays;
  if (snooze !== undefined && (typeof snooze !== "number" || !Number.isInteger(snooze) || snooze < 0 || snooze > 14)) {
    return "Property 'snoozeDurationInDays' must be a whole number of days from 0 to 14.";
  }
  return targetsProblem(campaign.excludeTargets, "excludeTargets") ?? targetsProblem(campaign.includeTargets, "includeTargets");
}

export const updateAuthMethodsPolicy: Handler = (ctx) => {
  const parsed = patchBody(ctx.body);
  if ("error" in parsed) return parsed.error;
  const problem = campaignProblem(parsed.body);
  if (problem) return invalidUpdate(problem);
  const merged = graphMerge(ctx.tenant.authenticationMethodsPolicy, parsed.body) as JsonObject;
  commit(ctx, () => {
    ctx.tenant.authenticationMethodsPolicy = graphMerge(ctx.tenant.authenticationMethodsPolicy, parsed.body) as JsonObject;
  });
  // The page documents 200 with the policy: the policy as written, whether or not reads see it yet.
  return ok({
    "@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy/$entity"),
    ...servedOn(ctx.version, merged, AUTH_METHODS_POLICY_BETA_ONLY),
  });
};

const PASSWORD_POLICIES = ["DisablePasswordExpiration", "DisableStrongPassword", "None"];

function passwordPoliciesProblem(value: JsonValue | undefined): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== "string") return "Property 'passwordPolicies' must be a string.";
  const bad = value
    .split(",")
    .map((p) => p.trim())
    .find((p) => !PASSWORD_POLICIES.includes(p));
  return bad === undefined ? undefined : `Invalid value '${bad}' in property 'passwordPolicies': expected ${PASSWORD_POLICIES.join(", ")}, comma-separated.`;
}

/** The user properties the sim lets a PATCH change: the one remediation writes, and a few plain ones. */
const USER_UPDATABLE = ["passwordPolicies", "displayName", "jobTitle", "department"];

export const updateUser: Handler = (ctx, [ref]): SimResponse => {
  const user = findUser(ctx.tenant, ref!);
  if (!user) return userNotFound(ref!);
  const parsed = patchBody(ctx.body);
  if ("error" in parsed) return parsed.error;
  const unexpected = unexpectedProperty(parsed.body, USER_UPDATABLE, "user");
  if (unexpected) return invalidUpdate(unexpected);
  if ("passwordPolicies" in parsed.body) {
    const problem = passwordPoliciesProblem(parsed.body.passwordPolicies);
    if (problem) return invalidUpdate(problem);
  }
  commit(ctx, () => {
    Object.assign(user, parsed.body);
  });
  return noContent();
};
