/**
 * The sample estate says what it means: ids are fixed lower-case GUIDs, every compliant tenant's
 * account is really excluded from every policy whose include scope takes it, and each drift
 * tenant carries exactly the drift its scenario names. Guards the data the e2e tests rely on.
 */
import { describe, expect, it } from "vitest";
import { SAMPLE_TENANTS, loadSampleEstate, sampleTenant } from "../../sim/estate/index.js";
import { activeRoles, findUser, transitiveGroups } from "../../sim/handlers/users.js";
import type { GraphCaPolicy, TenantData } from "../../sim/types.js";

const GA = "62e90394-69f5-4237-9190-012177145e10";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const estate = loadSampleEstate();
const data = (name: string): TenantData => estate.tenants.find((t) => t.tenantId === sampleTenant(name).tenantId)!;

interface Scope {
  included: boolean;
  excluded: boolean;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** Whether the policy's user scope includes / excludes the account (the design's step 1). */
function scopeOf(tenant: TenantData, policy: GraphCaPolicy, userId: string): Scope {
  const users = (policy.conditions as Record<string, Record<string, unknown> | null>).users ?? {};
  const groups = transitiveGroups(tenant, userId).map((g) => g.id);
  const roles = activeRoles(tenant, userId, transitiveGroups(tenant, userId)).map((r) => r.roleTemplateId);
  const meets = (ids: string[], held: string[]) => ids.some((id) => held.includes(id));
  return {
    included:
      list(users.includeUsers).includes("All") ||
      list(users.includeUsers).includes(userId) ||
      meets(list(users.includeGroups), groups) ||
      meets(list(users.includeRoles), roles),
    excluded: list(users.excludeUsers).includes(userId) || meets(list(users.excludeGroups), groups) || meets(list(users.excludeRoles), roles),
  };
}

/** A policy for legacy clients only never meets the account's modern sign-ins (design step 3). */
function legacyOnly(policy: GraphCaPolicy): boolean {
  const types = list((policy.conditions as Record<string, unknown>).clientAppTypes);
  return types.length > 0 && types.every((t) => ["exchangeActiveSync", "easSupported", "other"].includes(t));
}

function accountOf(tenant: TenantData): string {
  const sample = SAMPLE_TENANTS.find((s) => s.tenantId === tenant.tenantId)!;
  return findUser(tenant, sample.account)!.id;
}

describe("sample estate", () => {
  it("lists every tenant with fixed lower-case GUIDs and an expectation", () => {
    expect(SAMPLE_TENANTS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(SAMPLE_TENANTS.map((t) => t.tenantId)).size).toBe(SAMPLE_TENANTS.length);
    for (const t of SAMPLE_TENANTS) {
      expect(t.tenantId).toMatch(GUID);
      expect(["compliant", "drifted", "unknown"]).toContain(t.expected);
      const tenant = estate.tenants.find((d) => d.tenantId === t.tenantId)!;
      for (const u of tenant.users) expect(u.id).toMatch(GUID);
      for (const p of tenant.conditionalAccessPolicies) expect(p.id).toMatch(GUID);
    }
  });

  it("gives every tenant its account as an active Global Administrator unless the scenario says otherwise", () => {
    for (const t of SAMPLE_TENANTS) {
      const tenant = estate.tenants.find((d) => d.tenantId === t.tenantId)!;
      const user = findUser(tenant, t.account);
      if (t.displayName === "Bellows College") {
        expect(user).toBeUndefined();
        continue;
      }
      expect(user, t.displayName).toBeDefined();
      const roles = activeRoles(tenant, user!.id, transitiveGroups(tenant, user!.id)).map((r) => r.roleTemplateId);
      expect(roles.includes(GA), t.displayName).toBe(t.displayName !== "Wide World Importers");
    }
  });

  it("excludes the account of every compliant tenant from each enabled or report-only policy that includes it", () => {
    const strictlyCompliant = SAMPLE_TENANTS.filter((t) => t.scenario.startsWith("compliant") || t.expected === "unknown");
    expect(strictlyCompliant.map((t) => t.displayName)).toContain("Woodgrove Bank");
    for (const t of strictlyCompliant) {
      const tenant = estate.tenants.find((d) => d.tenantId === t.tenantId)!;
      const account = accountOf(tenant);
      for (const p of tenant.conditionalAccessPolicies.filter((x) => x.state !== "disabled" && !legacyOnly(x))) {
        const scope = scopeOf(tenant, p, account);
        if (scope.included) expect(scope.excluded, `${t.displayName}: ${p.displayName}`).toBe(true);
      }
    }
  });

  it("uses the 35 baseline policies, its groups and named locations in the compliant baseline tenant", () => {
    expect(data("Woodgrove").conditionalAccessPolicies).toHaveLength(35);
    expect(data("Woodgrove").groups.filter((g) => g.displayName.startsWith("BL") || g.displayName.startsWith("Baseline - "))).toHaveLength(35);
    expect(data("Woodgrove").namedLocations?.map((l) => l.displayName)).toEqual([
      "Baseline - allowed countries",
      "Baseline - offices",
      "Baseline - automation runners",
    ]);
    expect(data("Relecloud").conditionalAccessPolicies.length).toBeGreaterThanOrEqual(290);
  });

  it("reaches Fabrikam's account only through nested groups", () => {
    const tenant = data("Fabrikam");
    const account = accountOf(tenant);
    const blocking = tenant.conditionalAccessPolicies.filter(
      (p) => !legacyOnly(p) && scopeOf(tenant, p, account).included && !scopeOf(tenant, p, account).excluded,
    );
    expect(blocking.map((p) => p.displayName)).toEqual(["CA10 - Require MFA for IT staff"]);
    const includeGroups = list((blocking[0]!.conditions as Record<string, Record<string, unknown>>).users!.includeGroups);
    for (const g of includeGroups) expect(tenant.groupMembers[g]).not.toContain(account);
  });

  it("reaches Northwind's account only through its role", () => {
    const tenant = data("Northwind");
    const account = accountOf(tenant);
    const blocking = tenant.conditionalAccessPolicies.filter(
      (p) => !legacyOnly(p) && scopeOf(tenant, p, account).included && !scopeOf(tenant, p, account).excluded,
    );
    expect(blocking.map((p) => list((p.conditions as Record<string, Record<string, unknown>>).users!.includeRoles))).toEqual([[GA]]);
  });

  it("carries each tenant's drift", () => {
    expect(data("Tailspin").conditionalAccessPolicies.some((p) => p.state === "enabledForReportingButNotEnforced")).toBe(true);
    expect(data("Litware").identitySecurityDefaultsEnforcementPolicy.isEnabled).toBe(true);
    const proseware = data("Proseware");
    expect(proseware.perUserMfa[accountOf(proseware)]).toBe("enforced");
    const wwi = data("Wide World");
    expect(wwi.roleEligibilityScheduleInstances.map((e) => [e.principalId, e.roleDefinitionId])).toEqual([[accountOf(wwi), GA]]);
    expect(data("Trey Research").consent).toBe("revoked");
    expect(data("Lucerne").licenses.entraIdP1).toBe(false);
    expect(findUser(data("Contoso"), "o'neil@contoso.com")).toBeDefined();
  });

  it("hands each simulator its own copy", () => {
    const a = loadSampleEstate();
    a.tenants[0]!.users = [];
    expect(loadSampleEstate().tenants[0]!.users.length).toBeGreaterThan(0);
  });
});
