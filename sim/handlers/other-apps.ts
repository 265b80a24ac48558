/**
 * A second app registration in a customer tenant (remediation's writer, docs/remediation.md): an app
 * the tenant's `appGrants` names by client id has a service principal of its own, created by
 * `POST /servicePrincipals` (`appPrincipals`), and its app role assignments are `appGrants[appId]`,
 * which its tokens carry as `roles` (sim/identity.ts). Any other app id stays the monitoring app's
 * one principal (app-consent.ts).
 */
import type { JsonObject, SimResponse, TenantData } from "../types.js";
import { badRequest, graphError, ok } from "../errors.js";
import { stableGuid } from "../estate/ids.js";
import { GRAPH_APP_ROLE_IDS, GRAPH_SP_ID } from "./service-principals.js";

const PERMISSION_OF: ReadonlyMap<string, string> = new Map(Object.entries(GRAPH_APP_ROLE_IDS).map(([p, id]) => [id, p]));

/** Whether the tenant knows `appId` as an app of its own (not the monitoring app). */
export const isOtherApp = (tenant: TenantData, appId: string): boolean => Object.hasOwn(tenant.appGrants ?? {}, appId.toLowerCase());

const principalIdOf = (appId: string): string => stableGuid("service-principal", appId.toLowerCase());

export function otherPrincipal(tenant: TenantData, appId: string): JsonObject[] {
  const id = tenant.appPrincipals?.[appId.toLowerCase()];
  return id ? [{ id, appId: appId.toLowerCase(), displayName: "Drift Monitor remediation", servicePrincipalType: "Application", accountEnabled: true }] : [];
}

export function createOtherPrincipal(tenant: TenantData, appId: string): SimResponse {
  const key = appId.toLowerCase();
  if (tenant.appPrincipals?.[key]) {
    return graphError(409, "Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for property appId already exists.");
  }
  tenant.appPrincipals = { ...tenant.appPrincipals, [key]: principalIdOf(key) };
  return { ...ok(otherPrincipal(tenant, key)[0] ?? {}), status: 201 };
}

/** The app whose principal `id` is, if it is another app's. */
export function otherAppOf(tenant: TenantData, id: string): string | undefined {
  return Object.entries(tenant.appPrincipals ?? {}).find(([, sp]) => sp === id.toLowerCase())?.[0];
}

function assignment(principalId: string, permission: string, i: number): JsonObject {
  return {
    id: `${principalId.slice(0, 24)}${String(i).padStart(12, "0")}`,
    appRoleId: GRAPH_APP_ROLE_IDS[permission] ?? "",
    createdDateTime: "2026-01-01T00:00:00Z",
    principalDisplayName: "Drift Monitor remediation",
    principalId,
    principalType: "ServicePrincipal",
    resourceDisplayName: "Microsoft Graph",
    resourceId: GRAPH_SP_ID,
  };
}

export function otherAssignments(tenant: TenantData, appId: string): JsonObject[] {
  const principalId = tenant.appPrincipals?.[appId] ?? "";
  return (tenant.appGrants?.[appId] ?? []).map((p, i) => assignment(principalId, p, i));
}

export function assignOtherRole(tenant: TenantData, appId: string, body: unknown): SimResponse {
  const principalId = tenant.appPrincipals?.[appId] ?? "";
  const b = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (b.principalId !== principalId) return badRequest("Property 'principalId' must be the service principal in the path.");
  if (b.resourceId !== GRAPH_SP_ID) return graphError(404, "Request_ResourceNotFound", `Resource '${String(b.resourceId)}' does not exist.`);
  const permission = typeof b.appRoleId === "string" ? PERMISSION_OF.get(b.appRoleId.toLowerCase()) : undefined;
  if (!permission) return badRequest("Permission being assigned was not found on application.");
  const granted = tenant.appGrants?.[appId] ?? [];
  if (granted.includes(permission)) return graphError(409, "Request_BadRequest", "Permission being assigned already exists on the object.");
  tenant.appGrants = { ...tenant.appGrants, [appId]: [...granted, permission] };
  return { ...ok(assignment(principalId, permission, granted.length)), status: 201 };
}
