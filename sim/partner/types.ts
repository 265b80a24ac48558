/**
 * A Microsoft partner (CSP) tenant as the sim serves it: its customers and the granular delegated
 * admin (GDAP) relationships that give its admin agents roles in them. Wire shapes after
 * https://learn.microsoft.com/en-us/graph/api/resources/delegatedadmincustomer?view=graph-rest-1.0 and
 * https://learn.microsoft.com/en-us/graph/api/resources/delegatedadminrelationship?view=graph-rest-1.0.
 */
import type { JsonObject } from "../types.js";

/** `delegatedAdminRelationshipStatus`: only `active` gives the partner any access. */
export type RelationshipStatus =
  "activating" | "active" | "approvalPending" | "approved" | "created" | "expired" | "expiring" | "terminated" | "terminating" | "terminationRequested";

export interface DelegatedAdminRelationship extends JsonObject {
  id: string;
  displayName: string;
  status: RelationshipStatus;
  customer: { tenantId: string; displayName: string };
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
}

export interface PartnerData {
  tenantId: string;
  displayName: string;
  /**
   * Object ids of the partner's users in its Admin agents group. Only they get answers from the
   * GDAP APIs and roles in customers; anyone else is refused with 403.
   */
  adminAgents: string[];
  /** `delegatedAdminCustomer` objects: `id` and `tenantId` are the customer's tenant id. */
  customers: JsonObject[];
  relationships: DelegatedAdminRelationship[];
}
