/** GET /users/{id-or-upn} and GET /users/{id}/transitiveMemberOf. */
import type { GraphUser, JsonObject, TenantData, GraphGroup, GraphDirectoryRole } from "../types.js";
import type { Handler, GraphContext } from "./context.js";
import { contextUrl, pageOf } from "./context.js";
import { applySelect, parseSelect } from "../odata.js";
import { badRequest, notFound, ok } from "../errors.js";
import { EXTRA_USER_PROPERTIES, servedUser, signInActivityGate } from "./user-extras.js";

/** Graph returns these when no $select is given; accountEnabled and the sync flag are not among them. */
const DEFAULT_USER_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

/** Properties of `user` the sim knows; selecting one the object lacks yields null, like Graph. */
const USER_PROPERTIES = new Set(
  [
    ...DEFAULT_USER_PROPERTIES,
    "accountEnabled",
    "onPremisesSyncEnabled",
    "onPremisesImmutableId",
    "onPremisesLastSyncDateTime",
    "onPremisesDistinguishedName",
    "onPremisesSamAccountName",
    "onPremisesUserPrincipalName",
    "onPremisesDomainName",
    "onPremisesSecurityIdentifier",
    "userType",
    "createdDateTime",
    "creationType",
    "department",
    "companyName",
    "employeeId",
    "externalUserState",
    "identities",
    "mailNickname",
    "otherMails",
    "proxyAddresses",
    "usageLocation",
    "assignedLicenses",
    "lastPasswordChangeDateTime",
    "passwordPolicies",
    "signInActivity",
    "deletedDateTime",
    "country",
    "city",
    ...EXTRA_USER_PROPERTIES,
  ].map((p) => p.toLowerCase()),
);

/** Finds a user by object id or UPN, case-insensitively (the segment is already decoded). */
export function findUser(tenant: TenantData, ref: string): GraphUser | undefined {
  const key = ref.toLowerCase();
  return tenant.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
}

export function userNotFound(ref: string): ReturnType<typeof notFound> {
  return notFound(`Resource '${ref}' does not exist or one of its queried reference-property objects are not present.`);
}

export const getUser: Handler = (ctx, [ref]) => {
  const found = findUser(ctx.tenant, ref!);
  if (!found) return userNotFound(ref!);
  const user = servedUser(found, ctx.now);
  const select = parseSelect(ctx.query);
  const props = select ?? DEFAULT_USER_PROPERTIES;
  const gated = signInActivityGate(ctx.tenant, props);
  if (gated) return gated;
  const unknown = props.find((p) => !USER_PROPERTIES.has(p.toLowerCase()) && !(p in user));
  if (unknown) return badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
  const body: JsonObject = {
    "@odata.context": contextUrl(ctx, select ? `users(${select.join(",")})/$entity` : "users/$entity"),
  };
  for (const p of props) {
    const key = Object.keys(user).find((k) => k.toLowerCase() === p.toLowerCase());
    body[key ?? p] = key ? user[key] : null;
  }
  return ok(body);
};

/** Every group that contains `memberId`, directly or through nested groups. */
export function transitiveGroups(tenant: TenantData, memberId: string): GraphGroup[] {
  const found = new Set<string>();
  const queue = [memberId];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [groupId, members] of Object.entries(tenant.groupMembers)) {
      if (!found.has(groupId) && members.includes(current)) {
        found.add(groupId);
        queue.push(groupId);
      }
    }
  }
  return tenant.groups.filter((g) => found.has(g.id));
}

/** Roles active for the user: an active tenant-wide assignment to it or to one of its groups. */
export function activeRoles(tenant: TenantData, userId: string, groups: GraphGroup[]): GraphDirectoryRole[] {
  const principals = new Set([userId, ...groups.map((g) => g.id)]);
  const templateIds = new Set(tenant.roleAssignments.filter((a) => principals.has(a.principalId) && a.directoryScopeId === "/").map((a) => a.roleDefinitionId));
  return [...templateIds].map(
    (templateId) =>
      tenant.directoryRoles.find((r) => r.roleTemplateId === templateId) ?? {
        id: `a0${templateId.slice(2)}`,
        displayName: templateId,
        roleTemplateId: templateId,
      },
  );
}

export const getTransitiveMemberOf: Handler = (ctx: GraphContext, [ref]) => {
  const user = findUser(ctx.tenant, ref!);
  if (!user) return userNotFound(ref!);
  const select = parseSelect(ctx.query);
  const groups = transitiveGroups(ctx.tenant, user.id);
  const roles = activeRoles(ctx.tenant, user.id, groups);
  const items: JsonObject[] = [
    ...groups.map((g) => ({ "@odata.type": "#microsoft.graph.group", ...g })),
    ...roles.map((r) => ({ "@odata.type": "#microsoft.graph.directoryRole", ...r })),
  ].map((o) => applySelect(o, select));
  return pageOf(ctx, items, 100, 999, select ? `directoryObjects(${select.join(",")})` : "directoryObjects");
};
