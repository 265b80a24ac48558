/**
 * The app's own service principal in a tenant and the Microsoft Graph application permissions
 * granted to it: `GET /servicePrincipals(appId='{appId}')/appRoleAssignments`
 * (learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments). The sim signs every app
 * in as the same service principal, so any appId answers with the tenant's granted set
 * (`grantedPermissions`, absent: SIM_GRANTED_PERMISSIONS); PATCH /_sim/tenants/{id} changes it.
 * The app role ids are Microsoft Graph's published ones (learn.microsoft.com/graph/permissions-reference).
 */
import type { JsonObject, TenantData } from "../types.js";
import type { Handler } from "./context.js";
import { pageOf } from "./context.js";
import { applySelect, parseSelect } from "../odata.js";

/** Microsoft Graph's app role id of each application permission the sim knows. */
export const GRAPH_APP_ROLE_IDS: Readonly<Record<string, string>> = {
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  "GroupMember.Read.All": "98830695-27a2-44f7-8c18-0c3ebc9698f6",
  "RoleManagement.Read.Directory": "483bed4a-2ad3-4361-a73b-c83ccdbdc53c",
  "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
  "Policy.Read.ConditionalAccess": "37730810-e9ba-4e46-b07e-8ca78d182097",
  "UserAuthenticationMethod.Read.All": "38d9df27-64da-44fd-b7c5-a6fbac20248f",
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
  "Domain.Read.All": "dbb9058a-0e50-45d7-ae91-66909b5d4664",
  "IdentityRiskyUser.Read.All": "dc5007c0-2d7d-4c42-879c-2dab87571379",
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  // The remediation app's writes (docs/remediation.md).
  "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067",
  "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366",
  "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
};

/** What a tenant that consented to the app as the sim's estate describes it has granted. */
export const SIM_GRANTED_PERMISSIONS: readonly string[] = [
  "User.Read.All",
  "GroupMember.Read.All",
  "RoleManagement.Read.Directory",
  "Policy.Read.All",
  "UserAuthenticationMethod.Read.All",
  "AuditLog.Read.All",
  "Domain.Read.All",
  "IdentityRiskyUser.Read.All",
  "Application.Read.All",
];

/** The application permissions granted in the tenant. */
export function grantedPermissions(tenant: TenantData): readonly string[] {
  return tenant.grantedPermissions ?? SIM_GRANTED_PERMISSIONS;
}

export const SP_ID = "7d3c5a10-0b6e-4c8e-9a51-3f0e2d1c4b99";
export const GRAPH_SP_ID = "2a6f7b1e-5c44-4d0f-8e3a-9b1c0d2e3f40";

export const listAppRoleAssignments: Handler = (ctx) => {
  const select = parseSelect(ctx.query);
  const items: JsonObject[] = grantedPermissions(ctx.tenant).flatMap((p, i) => {
    const appRoleId = GRAPH_APP_ROLE_IDS[p];
    if (!appRoleId) return [];
    const assignment: JsonObject = {
      id: `${SP_ID.slice(0, 24)}${String(i).padStart(12, "0")}`,
      appRoleId,
      createdDateTime: "2026-01-01T00:00:00Z",
      principalDisplayName: "Drift Monitor",
      principalId: SP_ID,
      principalType: "ServicePrincipal",
      resourceDisplayName: "Microsoft Graph",
      resourceId: GRAPH_SP_ID,
    };
    return [applySelect(assignment, select)];
  });
  return pageOf(ctx, items, 100, 999, `servicePrincipals('${SP_ID}')/appRoleAssignments`);
};
