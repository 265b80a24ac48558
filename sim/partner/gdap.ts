/**
 * GDAP in a customer tenant: a partner's admin agent gets, there, the roles of the partner's
 * active relationships with that customer, and nothing else
 * (https://learn.microsoft.com/en-us/partner-center/gdap-introduction). A request the
 * roles do not cover is refused as Graph refuses it, 403 Authorization_RequestDenied.
 */
import type { EndpointName, PartnerData, SimResponse } from "../types.js";
import { delegatedCaller } from "./caller.js";
import { forbidden } from "../errors.js";

/** Built-in role template ids (https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference). */
export const ROLE = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  directoryReaders: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  cloudApplicationAdministrator: "158c047a-c907-4556-b7ef-446551a6b5f7",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
} as const;

/** Reading users and their role memberships: Directory Readers is the least privileged role that can. */
const DIRECTORY_READ = [ROLE.directoryReaders, ROLE.globalReader, ROLE.globalAdministrator, ROLE.userAdministrator, ROLE.privilegedRoleAdministrator];
const DIRECTORY_ENDPOINTS: ReadonlySet<EndpointName> = new Set(["user", "users", "transitiveMemberOf", "roleAssignments"]);
/**
 * Granting Microsoft Graph app roles: Privileged Role Administrator or Global Administrator; a Cloud
 * Application Administrator may consent to any permission "except Microsoft Graph app roles"
 * (https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent).
 */
const CONSENT_WRITE = [ROLE.privilegedRoleAdministrator, ROLE.globalAdministrator];
const CONSENT_WRITES: ReadonlySet<EndpointName> = new Set(["createServicePrincipal", "assignAppRole"]);
/** Reading service principals and their assignments: any role that reads the directory, or an application administrator. */
const APP_READ = [...DIRECTORY_READ, ROLE.cloudApplicationAdministrator];
const APP_READS: ReadonlySet<EndpointName> = new Set(["servicePrincipals", "appRoleAssignments"]);
/** Everything else the sim serves (policies, reports) is read with Global Reader or more. */
const OTHER_READ = [ROLE.globalReader, ROLE.globalAdministrator];

/** The role definition ids the partner's active relationships grant in the customer. */
function grantedRoles(partner: PartnerData, customerTenantId: string): Set<string> {
  const tid = customerTenantId.toLowerCase();
  const roles = new Set<string>();
  for (const r of partner.relationships) {
    if (r.status !== "active" || r.customer.tenantId.toLowerCase() !== tid) continue;
    for (const role of r.accessDetails.unifiedRoles) roles.add(role.roleDefinitionId.toLowerCase());
  }
  return roles;
}

/** An admin agent of the partner, or undefined (403) for anyone else. */
export function isAdminAgent(partner: PartnerData, userId: string): boolean {
  return partner.adminAgents.some((a) => a.toLowerCase() === userId.toLowerCase());
}

/**
 * The 403 a GDAP caller gets in a customer tenant for an endpoint its roles do not cover;
 * undefined when the caller is not a partner's user (an app, the tenant's own user) or is allowed.
 */
export function gdapGate(
  findPartner: (tenantId: string) => PartnerData | undefined,
  authorization: string | undefined,
  tenantId: string,
  endpoint: EndpointName,
): SimResponse | undefined {
  const caller = delegatedCaller(authorization);
  if (!caller || caller.homeTenantId === tenantId.toLowerCase()) return undefined;
  const partner = findPartner(caller.homeTenantId);
  if (!partner || !isAdminAgent(partner, caller.userId)) return forbidden();
  const roles = grantedRoles(partner, tenantId);
  const allowed = CONSENT_WRITES.has(endpoint)
    ? CONSENT_WRITE
    : APP_READS.has(endpoint)
      ? APP_READ
      : DIRECTORY_ENDPOINTS.has(endpoint)
        ? DIRECTORY_READ
        : OTHER_READ;
  return allowed.some((r) => roles.has(r)) ? undefined : forbidden();
}
