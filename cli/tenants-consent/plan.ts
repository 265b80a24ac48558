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

/** Granting Microsoft Graph app roles takes Privileged Role Administrator or Global Administrator (the rule discovery reports by). */
export { canGrantGraphRoles } from "../tenants-discover/roles.js";
export const GRANT_ROLE_NAME = "Privileged Role Administrator";
