/**
 * Consent through Microsoft Graph in a customer tenant, as a partner's admin agent does it:
 * - `GET /servicePrincipals?$filter=appId eq '…'` (learn.microsoft.com/graph/api/serviceprincipal-list),
 * - `POST /servicePrincipals` with `{ appId }` (learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals),
 * - `GET /servicePrincipals/{id}/appRoleAssignments` (learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments),
 * - `POST /servicePrincipals/{id}/appRoleAssignments` with `{ principalId, resourceId, appRoleId }`
 *   (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignments): 201, or the conflict
 *   Graph gives for an assignment that exists.
 * An assignment grants the permission: it lands in the tenant's `grantedPermissions`, which the app's
 * tokens and the consent check read. A new principal can stay invisible to assignments for a while
 * (`servicePrincipalDelay` refusals, 404), as Entra's replication makes it.
 */
import type { JsonObject, TenantData } from "../types.js";
import type { Handler } from "./context.js";
import { pageOf } from "./context.js";
import { badRequest, graphError, ok } from "../errors.js";
import { GRAPH_APP_ROLE_IDS, GRAPH_SP_ID, grantedPermissions, listAppRoleAssignments, SP_ID } from "./service-principals.js";
import { assignOtherRole, createOtherPrincipal, isOtherApp, otherAppOf, otherAssignments, otherPrincipal } from "./other-apps.js";

const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const PERMISSION_OF: ReadonlyMap<string, string> = new Map(Object.entries(GRAPH_APP_ROLE_IDS).map(([p, id]) => [id, p]));

function appPrincipalExists(tenant: TenantData): boolean {
  return tenant.appServicePrincipal !== null;
}

function principal(id: string, appId: string, displayName: string): JsonObject {
  return { id, appId, displayName, servicePrincipalType: "Application", accountEnabled: true };
}

export const listServicePrincipals: Handler = (ctx) => {
  const filter = ctx.query.get("$filter");
  const appId = filter === null ? undefined : /^appId eq '([0-9a-fA-F-]{36})'$/.exec(filter.trim())?.[1]?.toLowerCase();
  if (filter !== null && appId === undefined) return badRequest(`Invalid filter clause: ${filter}`);
  if (appId !== undefined && isOtherApp(ctx.tenant, appId)) return pageOf(ctx, otherPrincipal(ctx.tenant, appId), 100, 999, "servicePrincipals");
  const all = [principal(GRAPH_SP_ID, MICROSOFT_GRAPH_APP_ID, "Microsoft Graph")];
  // The sim signs every app in as one principal: any other appId is the app's.
  if (appPrincipalExists(ctx.tenant) && appId !== MICROSOFT_GRAPH_APP_ID) all.push(principal(SP_ID, appId ?? SP_ID, "Drift Monitor"));
  const items = appId === undefined ? all : all.filter((p) => p.appId === appId || (p.id === SP_ID && appId !== MICROSOFT_GRAPH_APP_ID));
  return pageOf(ctx, items, 100, 999, "servicePrincipals");
};

export const createServicePrincipal: Handler = (ctx) => {
  const body = ctx.body;
  const appId = typeof body === "object" && body !== null && !Array.isArray(body) ? body.appId : undefined;
  if (typeof appId !== "string" || !/^[0-9a-fA-F-]{36}$/.test(appId)) return badRequest("Property 'appId' is required and must be a GUID.");
  if (isOtherApp(ctx.tenant, appId)) return createOtherPrincipal(ctx.tenant, appId);
  if (appPrincipalExists(ctx.tenant)) {
    return graphError(409, "Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for property appId already exists.");
  }
  ctx.tenant.appServicePrincipal = { id: SP_ID, unassignableFor: ctx.tenant.servicePrincipalDelay ?? 0 };
  ctx.tenant.grantedPermissions ??= [];
  return { ...ok(principal(SP_ID, appId.toLowerCase(), "Drift Monitor")), status: 201 };
};

const notFound = (id: string) =>
  graphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const listPrincipalAssignments: Handler = (ctx, params) => {
  const id = (params[0] ?? "").toLowerCase();
  if (id === GRAPH_SP_ID) return pageOf(ctx, [], 100, 999, `servicePrincipals('${id}')/appRoleAssignments`);
  const other = otherAppOf(ctx.tenant, id);
  if (other) return pageOf(ctx, otherAssignments(ctx.tenant, other), 100, 999, `servicePrincipals('${id}')/appRoleAssignments`);
  if (id !== SP_ID || !appPrincipalExists(ctx.tenant)) return notFound(id);
  return listAppRoleAssignments(ctx, params);
};

export const assignAppRole: Handler = (ctx, params) => {
  const id = (params[0] ?? "").toLowerCase();
  const other = otherAppOf(ctx.tenant, id);
  if (other) return assignOtherRole(ctx.tenant, other, ctx.body);
  const sp = ctx.tenant.appServicePrincipal;
  if (id !== SP_ID || sp === null) return notFound(id);
  if (sp && sp.unassignableFor > 0) {
    sp.unassignableFor--;
    return notFound(id);
  }
  const b = typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? ctx.body : {};
  if (b.principalId !== SP_ID) return badRequest("Property 'principalId' must be the service principal in the path.");
  if (b.resourceId !== GRAPH_SP_ID) return notFound(String(b.resourceId));
  const permission = typeof b.appRoleId === "string" ? PERMISSION_OF.get(b.appRoleId.toLowerCase()) : undefined;
  if (!permission) return badRequest("Permission being assigned was not found on application.");
  const granted = grantedPermissions(ctx.tenant);
  if (granted.includes(permission)) return graphError(409, "Request_BadRequest", "Permission being assigned already exists on the object.");
  ctx.tenant.grantedPermissions = [...granted, permission];
  const assignment: JsonObject = {
    id: `${SP_ID.slice(0, 24)}${String(granted.length).padStart(12, "0")}`,
    appRoleId: b.appRoleId as string,
    createdDateTime: ctx.now.toISOString(),
    principalDisplayName: "Drift Monitor",
    principalId: SP_ID,
    principalType: "ServicePrincipal",
    resourceDisplayName: "Microsoft Graph",
    resourceId: GRAPH_SP_ID,
  };
  return { ...ok(assignment), status: 201 };
};
