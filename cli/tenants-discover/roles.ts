/**
 * What a GDAP relationship's roles let Drift Monitor do in a customer tenant, pure. Role names
 * come from the built-in role template ids
 * (https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference).
 */
import { roleName } from "../../lib/checks/well-known.js";

const ROLE = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  directoryReaders: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
} as const;

/**
 * Consenting to the app in a customer through the partner, as `tenants consent` does it (Microsoft
 * Graph app role assignments): Privileged Role Administrator or Global Administrator. Partner
 * Center names Cloud Application Administrator too
 * (https://learn.microsoft.com/en-us/powershell/partnercenter/exchange-online-gdap-app), but that role
 * may consent to anything "except Microsoft Graph app roles (application permissions)"
 * (https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent), and
 * those are what this app needs: discovery says yes only where consent will succeed.
 */
const CONSENT_ROLES = [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator];

/** Whether roles (template ids) let the partner grant the app's Microsoft Graph permissions. */
export function canGrantGraphRoles(roleIds: readonly string[]): boolean {
  const ids = new Set(roleIds.map((r) => r.toLowerCase()));
  return CONSENT_ROLES.some((r) => ids.has(r));
}

/**
 * Reading the customer's users and who holds Global Administrator. Directory Readers is the least
 * privileged built-in role that reads users and directory roles ("Can read basic directory
 * information", permissions-reference above); the others include that.
 */
const READ_ROLES = [ROLE.directoryReaders, ROLE.globalReader, ROLE.globalAdministrator, ROLE.userAdministrator, ROLE.privilegedRoleAdministrator];

/** `delegatedAdminRelationship`, the part discovery reads. */
export interface Relationship {
  readonly status: string;
  readonly customerTenantId: string;
  readonly roleDefinitionIds: readonly string[];
}

export interface RoleAssessment {
  /** Role names, sorted, of the customer's active relationships. */
  readonly roles: readonly string[];
  readonly canConsent: boolean;
  readonly canRead: boolean;
}

/**
 * The role ids a customer's active relationships grant. Only `active` counts: `expiring` means the
 * relationship "has passed its expiration date" (delegatedAdminRelationship resource page), so
 * what it grants is going, and a tenant that leans on it is better seen now.
 */
export function grantedRoleIds(relationships: readonly Relationship[], customerTenantId: string): string[] {
  const tid = customerTenantId.toLowerCase();
  const ids = new Set<string>();
  for (const r of relationships) {
    if (r.customerTenantId.toLowerCase() !== tid || r.status !== "active") continue;
    for (const id of r.roleDefinitionIds) ids.add(id.toLowerCase());
  }
  return [...ids];
}

export function assessRoles(roleIds: readonly string[]): RoleAssessment {
  const ids = new Set(roleIds.map((r) => r.toLowerCase()));
  return {
    roles: [...ids].map((id) => roleName(id)).sort((a, b) => a.localeCompare(b)),
    canConsent: CONSENT_ROLES.some((r) => ids.has(r)),
    canRead: READ_ROLES.some((r) => ids.has(r)),
  };
}

export const CONSENT_ROLE_NAMES = CONSENT_ROLES.map((id) => roleName(id));
export const LEAST_READ_ROLE_NAME = roleName(ROLE.directoryReaders);
