/**
 * A generated MSP estate: one partner tenant with GDAP relationships to `customers` customer
 * tenants, deterministic for a seed (names) and an index (scenario), so a test knows what each
 * customer should come out as. Scenario by index modulo 10:
 *
 * | i % 10 | relationship roles (active unless said) | `svc-connect@…` users | outcome |
 * |---|---|---|---|
 * | 0, 1, 2 | Global Administrator | one, cloud-only, Global Administrator | account found, can consent |
 * | 3 | Directory Readers + Cloud Application Administrator | one | found, can consent |
 * | 4 | Global Reader + Privileged Role Administrator | one, Global Administrator through a role-assignable group | found, can consent |
 * | 5 | Global Reader | one | found, cannot consent |
 * | 6 | Global Administrator | two (the .onmicrosoft.com and the custom domain), both eligible | a person decides |
 * | 7 | Global Administrator | one synced from on-premises, one cloud-only without the role | none: a person decides |
 * | 8 | Helpdesk Administrator | one | directory unreadable: lacks Directory Readers |
 * | 9 | Global Administrator (expired) + Directory Readers (active) | one | found, cannot consent |
 */
import type { DelegatedAdminRelationship, Estate, GraphRoleAssignment, GraphUser, PartnerData, TenantData } from "../types.js";
import { ROLE } from "../partner/gdap.js";
import { toTenantData } from "./load.js";
import { stableGuid } from "./ids.js";

export type PartnerScenario = "ga" | "least" | "group" | "reader" | "several" | "none" | "no-read" | "expired";
const BY_INDEX: readonly PartnerScenario[] = ["ga", "ga", "ga", "least", "group", "reader", "several", "none", "no-read", "expired"];

const ROLES: Record<PartnerScenario, string[]> = {
  ga: [ROLE.globalAdministrator],
  least: [ROLE.directoryReaders, ROLE.cloudApplicationAdministrator],
  group: [ROLE.globalReader, ROLE.privilegedRoleAdministrator],
  reader: [ROLE.globalReader],
  several: [ROLE.globalAdministrator],
  none: [ROLE.globalAdministrator],
  "no-read": [ROLE.helpdeskAdministrator],
  expired: [ROLE.directoryReaders],
};

const FIRST = ["Blue", "North", "Silver", "Harbor", "Granite", "Maple", "Cedar", "Summit", "River", "Oak", "Iron", "Bright"];
const SECOND = ["Dental", "Logistics", "Bakery", "Legal", "Clinic", "Studio", "Motors", "Farms", "Print", "Foods", "Labs", "Travel"];

/** A small seeded PRNG (mulberry32): the same seed names the same customers in every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PartnerEstateCustomer {
  tenantId: string;
  displayName: string;
  scenario: PartnerScenario;
  /** The UPN discovery should propose, when exactly one fits. */
  account?: string;
}

interface PartnerEstate {
  estate: Estate;
  partnerTenantId: string;
  /** A user in the partner's Admin agents group, and one outside it (refused by the GDAP APIs). */
  adminAgentId: string;
  outsiderId: string;
  customers: PartnerEstateCustomer[];
}

function user(tenantId: string, upn: string, extra: Partial<GraphUser> = {}): GraphUser {
  return {
    id: stableGuid(tenantId, "user", upn),
    userPrincipalName: upn,
    displayName: upn.split("@")[0]!,
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    ...extra,
  };
}

function assignment(tenantId: string, principalId: string, roleDefinitionId: string): GraphRoleAssignment {
  return { id: stableGuid(tenantId, "assignment", principalId, roleDefinitionId), principalId, roleDefinitionId, directoryScopeId: "/" };
}

function customerTenant(tenantId: string, displayName: string, domain: string, scenario: PartnerScenario): { tenant: TenantData; account?: string } {
  const onms = `svc-connect@${domain}.onmicrosoft.com`;
  const custom = `svc-connect@${domain}.com`;
  const admin = user(tenantId, `admin@${domain}.onmicrosoft.com`);
  const users = [admin, user(tenantId, `alex@${domain}.com`), user(tenantId, `sam@${domain}.com`)];
  const roleAssignments = [assignment(tenantId, admin.id, ROLE.globalAdministrator)];
  const groups = [];
  const groupMembers: Record<string, string[]> = {};
  let account: string | undefined = onms;
  const svc = user(tenantId, onms);
  users.push(svc);
  if (scenario === "group") {
    const group = { id: stableGuid(tenantId, "group", "tier0"), displayName: "Tier 0 Admins", isAssignableToRole: true, securityEnabled: true };
    groups.push(group);
    groupMembers[group.id] = [svc.id];
    roleAssignments.push(assignment(tenantId, group.id, ROLE.globalAdministrator));
  } else if (scenario === "none") {
    const synced = user(tenantId, custom, { onPremisesSyncEnabled: true });
    users.push(synced);
    roleAssignments.push(assignment(tenantId, synced.id, ROLE.globalAdministrator), assignment(tenantId, svc.id, ROLE.globalReader));
    account = undefined;
  } else {
    roleAssignments.push(assignment(tenantId, svc.id, ROLE.globalAdministrator));
  }
  // The account exists, but the relationship's roles cannot read the directory to find it.
  if (scenario === "no-read") account = undefined;
  if (scenario === "several") {
    const second = user(tenantId, custom);
    users.push(second);
    roleAssignments.push(assignment(tenantId, second.id, ROLE.globalAdministrator));
    account = undefined;
  }
  const tenant = toTenantData({
    tenantId,
    displayName,
    scenario: `MSP customer: ${scenario}`,
    expected: "compliant",
    account: onms,
    users,
    groups,
    groupMembers,
    roleAssignments,
  });
  // A new customer has not consented yet: `tenants consent` creates the app's principal and grants its permissions.
  tenant.appServicePrincipal = null;
  tenant.grantedPermissions = [];
  return account ? { tenant, account } : { tenant };
}

function relationship(partnerId: string, c: { tenantId: string; displayName: string }, n: number, roles: string[], status: "active" | "expired") {
  const r: DelegatedAdminRelationship = {
    id: `${stableGuid(partnerId, "relationship", c.tenantId, String(n))}-${stableGuid(c.tenantId, "relationship", String(n))}`,
    displayName: `Drift Monitor ${n} ${c.displayName}`.slice(0, 50),
    duration: "P730D",
    status,
    autoExtendDuration: "P180D",
    createdDateTime: "2026-01-05T09:00:00Z",
    activatedDateTime: "2026-01-06T09:00:00Z",
    lastModifiedDateTime: "2026-01-06T09:00:00Z",
    endDateTime: status === "expired" ? "2026-06-01T09:00:00Z" : "2028-01-06T09:00:00Z",
    customer: { tenantId: c.tenantId, displayName: c.displayName },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
  return r;
}

export function generatePartnerEstate(options: { customers: number; seed?: number }): PartnerEstate {
  const seed = options.seed ?? 26;
  const random = prng(seed);
  const partnerTenantId = stableGuid(String(seed), "partner");
  const adminAgentId = stableGuid(partnerTenantId, "admin-agent");
  const outsiderId = stableGuid(partnerTenantId, "outsider");
  const tenants: TenantData[] = [];
  const customers: PartnerEstateCustomer[] = [];
  const partner: PartnerData = {
    tenantId: partnerTenantId,
    displayName: "Contoso Managed Services",
    adminAgents: [adminAgentId],
    customers: [],
    relationships: [],
  };
  for (let i = 0; i < options.customers; i += 1) {
    const scenario = BY_INDEX[i % BY_INDEX.length]!;
    const name = `${FIRST[Math.floor(random() * FIRST.length)]!} ${SECOND[Math.floor(random() * SECOND.length)]!} ${i + 1}`;
    const tenantId = stableGuid(partnerTenantId, "customer", String(i));
    const domain = name.toLowerCase().replace(/[^a-z0-9]+/g, "");
    const made = customerTenant(tenantId, name, domain, scenario);
    tenants.push(made.tenant);
    customers.push({ tenantId, displayName: name, scenario, ...(made.account ? { account: made.account } : {}) });
    partner.customers.push({ id: tenantId, tenantId, displayName: name });
    if (scenario === "expired")
      partner.relationships.push(relationship(partnerTenantId, { tenantId, displayName: name }, 0, [ROLE.globalAdministrator], "expired"));
    partner.relationships.push(relationship(partnerTenantId, { tenantId, displayName: name }, 1, ROLES[scenario], "active"));
  }
  return { estate: { tenants, partners: [partner] }, partnerTenantId, adminAgentId, outsiderId, customers };
}
