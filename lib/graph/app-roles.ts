/**
 * Microsoft Graph's application permissions the app can ask for, with the app role id each has.
 * The ids are the same in every tenant: Microsoft publishes them as constants
 * (learn.microsoft.com/graph/permissions-reference, "All permissions and IDs"), so a tenant's
 * app role assignments (`appRoleId`) resolve to a permission without reading Graph's own service
 * principal's `appRoles` there, and `docs/deploy.md`'s `az ad app permission add` lines are
 * generated from this table.
 */

/** Microsoft Graph's own application id: the resource every permission below belongs to. */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export const GRAPH_APP_ROLE_IDS = {
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
} as const;

/** A Graph application permission this app knows (a fact's `permission` must be one). */
export type GraphPermission = keyof typeof GRAPH_APP_ROLE_IDS;

const BY_ID: ReadonlyMap<string, GraphPermission> = new Map(
  (Object.entries(GRAPH_APP_ROLE_IDS) as [GraphPermission, string][]).map(([permission, id]) => [id, permission]),
);

/** The permission an app role id of Microsoft Graph stands for; undefined for one this app never asks for. */
export function permissionOfAppRole(appRoleId: string): GraphPermission | undefined {
  return BY_ID.get(appRoleId.toLowerCase());
}
