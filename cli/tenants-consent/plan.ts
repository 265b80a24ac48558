/**
 * What `tenants consent` must write in one customer tenant, pure: given whether the app's service
 * principal exists and which Microsoft Graph app roles it holds, the principal to create (if any) and
 * the permissions left to assign. What exists is left as it is, so a second run plans nothing.
 */
import { GRAPH_APP_ROLE_IDS, permissionOfAppRole, type GraphPermission } from "../../lib/graph/app-roles.js";

interface ConsentPlan {
  readonly createPrincipal: boolean;
  /** Each permission still to assign, with its app role id, in the required order. */
  readonly assign: readonly { readonly permission: GraphPermission; readonly appRoleId: string }[];
}

export function planConsent(required: readonly GraphPermission[], principalExists: boolean, heldAppRoleIds: readonly string[]): ConsentPlan {
  const held = new Set(heldAppRoleIds.map((id) => permissionOfAppRole(id)).filter((p) => p !== undefined));
  const missing = [...new Set(required)].filter((p) => !principalExists || !held.has(p));
  return { createPrincipal: !principalExists, assign: missing.map((permission) => ({ permission, appRoleId: GRAPH_APP_ROLE_IDS[permission] })) };
}

/**
 * Granting Microsoft Graph app roles takes Privileged Role Administrator or Global Administrator:
 * Cloud Application Administrator may consent to anything "except Microsoft Graph app roles
 * (application permissions)" (https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent),
 * although Partner Center's consent API accepts it; the Graph route asks for more.
 */
const GRANT_ROLES = ["e8611ab8-c189-46e8-94e1-60213ab1f814", "62e90394-69f5-4237-9190-012177145e10"];
export const GRANT_ROLE_NAME = "Privileged Role Administrator";

export function canGrantGraphRoles(roleIds: readonly string[]): boolean {
  const ids = new Set(roleIds.map((r) => r.toLowerCase()));
  return GRANT_ROLES.some((r) => ids.has(r));
}
