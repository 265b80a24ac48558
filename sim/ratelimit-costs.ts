/**
 * Resource units (RU) of the identity and access service, as learn.microsoft.com/graph/throttling-limits
 * documents them, applied to the requests the simulator serves. Approximate on purpose: the page
 * lists base costs per path (anything not listed costs 1), minus 1 for `$select`, minus 1 for
 * `$top` under 20, plus 1 for `$expand`, never below 1. The sim knows endpoints, not queries, when
 * it meters, so each endpoint is costed as Drift Monitor sends it:
 *
 * | endpoint | as sent | cost |
 * |---|---|---|
 * | `user` | `GET /users/{id}?$select=…` | 1 (base 1, `$select` −1, floor 1) |
 * | `transitiveMemberOf` | `GET /users/{id}/transitiveMemberOf?$select=…&$top=999` | 1 (base 2 as `me/transitiveMemberOf`, `$select` −1) |
 * | `roleAssignments`, `roleEligibility`, `roleAssignmentInstances` | `$filter=principalId eq …` | 1 |
 * | `securityDefaults`, `authMethodsPolicy` | policy singletons | 1 |
 * | `perUserMfa`, `authMethods` | the account's authentication data | 1 |
 * | `domains` | `GET /domains?$select=…` | 1 |
 * | `appRoleAssignments` | `GET /servicePrincipals(appId='…')/appRoleAssignments?$select=appRoleId` (once a day) | 1 |
 *
 * Conditional Access and the reports have limits of their own (rate-limit.ts) and cost no RU.
 * Quotas: per app and tenant 3,500 / 5,000 / 8,000 RU per 10 s for tenants under 50, up to 500,
 * and over 500 users; per app across all tenants 150,000 RU per 20 s.
 */
import type { EndpointName } from "./types.js";

export const RU_COST: Readonly<Partial<Record<EndpointName, number>>> = {
  user: 1,
  transitiveMemberOf: 1,
  roleAssignments: 1,
  roleEligibility: 1,
  roleAssignmentInstances: 1,
  securityDefaults: 1,
  authMethodsPolicy: 1,
  perUserMfa: 1,
  authMethods: 1,
  domains: 1,
  appRoleAssignments: 1,
};

/** RU per 10 s for one app in one tenant, by the tenant's user count. */
export function tenantRuQuota(users: number): number {
  if (users < 50) return 3_500;
  if (users <= 500) return 5_000;
  return 8_000;
}

export const APP_RU_QUOTA = { units: 150_000, windowMs: 20_000 } as const;
export const TENANT_RU_WINDOW_MS = 10_000;

/**
 * A token bucket (the algorithm the page names): `capacity` units, refilled continuously over
 * `windowMs`. Two numbers per bucket, so one per tenant costs nothing at scale.
 */
export class RuBucket {
  private tokens: number;
  private at: number;

  constructor(
    private capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.capacity) / this.windowMs);
    this.at = Math.max(this.at, now);
  }

  /** Milliseconds until `cost` units are there (0 = now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    if (this.tokens >= cost) return 0;
    return Math.ceil(((cost - this.tokens) * this.windowMs) / this.capacity);
  }

  take(cost: number): void {
    this.tokens -= cost;
  }

  resize(capacity: number): void {
    this.capacity = capacity;
  }
}
