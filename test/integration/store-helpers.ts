/**
 * Set-up shared by the store-*.test.ts files, which run the store against Azurite (started by the
 * global setup). Each test uses its own tables, so files and tests never see each other's rows.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { CaFinding, Report } from "../../lib/model/report.js";
import type { OutboxAlert, Snapshot, TenantState } from "../../lib/model/state.js";
import { createStore, invertedTicks } from "../../lib/store/index.js";
import { minimalState } from "../support/state.js";

export const target = () => loadStoreSettings(process.env).storage;
export const tables = () => {
  const suffix = randomBytes(4).toString("hex");
  return { tenantsTable: `StoreTenants${suffix}`, monitorTable: `StoreMonitor${suffix}` };
};
export const newStore = () => createStore(target(), tables());
export const connectionString = () => process.env.AzureWebJobsStorage ?? "";

function report(tenantId: string, findings: CaFinding[] = []): Report {
  return {
    schemaVersion: 1,
    tenantId,
    checkedAt: "2026-01-01T00:00:00.000Z",
    profile: "strict",
    account: { id: "0f0f0f0f-0000-4000-8000-000000000000", userPrincipalName: "svc@contoso.com" },
    status: findings.some((f) => f.effect === "blocking") ? "drifted" : "compliant",
    warnings: 0,
    checks: [
      { id: "conditional-access", status: findings.some((f) => f.effect === "blocking") ? "fail" : "pass", summary: `${findings.length} policies`, findings },
    ],
  };
}

export function alert(tenantId: string, id: string, createdAt = "2026-01-01T00:00:00.000Z"): OutboxAlert {
  return {
    schemaVersion: 3,
    id,
    tenantId,
    tenantName: "Contoso <script>",
    createdAt,
    stateVersion: 0,
    recipients: ["ops@contoso.com"],
    tenantStatus: "drifted",
    accountUserPrincipalName: "svc@contoso.com",
    transitions: [{ kind: "monitoring-degraded", key: "monitoring-degraded|x", unknownRuns: 3, since: createdAt, reasons: [] }],
  };
}

/** A CA policy shaped like Graph's, with enough random ids that it does not compress away. */
function policy(i: number): Record<string, unknown> {
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  return {
    id: randomUUID(),
    displayName: `CA${String(i).padStart(3, "0")}-Admins-BaseProtection-AllApps-AnyPlatform-MFA`,
    state: i % 3 === 0 ? "enabledForReportingButNotEnforced" : "enabled",
    createdDateTime: "2025-06-01T10:00:00Z",
    modifiedDateTime: "2025-06-02T10:00:00Z",
    conditions: {
      users: { includeUsers: ["All"], excludeUsers: ids(3), includeGroups: [], excludeGroups: ids(4), includeRoles: ids(2), excludeRoles: [] },
      applications: { includeApplications: ["All"], excludeApplications: ids(2), includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      clientAppTypes: ["all"],
      locations: { includeLocations: ["All"], excludeLocations: ids(2) },
      platforms: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    sessionControls: null,
  };
}

export function bigTenant(tenantId: string, policies: number): { state: TenantState; snapshot: Snapshot } {
  const ps = Array.from({ length: policies }, (_, i) => policy(i));
  const findings: CaFinding[] = ps.map((p, i) => ({
    policyId: String(p.id),
    policyName: String(p.displayName),
    state: String(p.state),
    effect: i % 7 === 0 ? "blocking" : "excluded",
    reason: i % 7 === 0 ? "included via role Global Administrator" : `excluded via group ${randomUUID()}`,
    controls: ["mfa"],
  }));
  const r = report(tenantId, findings);
  const takenAt = new Date("2026-01-01T00:00:00.000Z");
  return {
    state: state(tenantId, 1, r),
    snapshot: {
      schemaVersion: 1,
      id: invertedTicks(takenAt),
      tenantId,
      takenAt: takenAt.toISOString(),
      report: r,
      factsDigest: randomBytes(32).toString("hex"),
      facts: {
        tenantId,
        collectedAt: takenAt.toISOString(),
        conditionalAccessPolicies: { ok: true, value: ps as Array<{ id: string; displayName: string }> },
      },
    },
  };
}

export function state(tenantId: string, version = 1, r: Report = report(tenantId)): TenantState {
  return minimalState(tenantId, { version, report: r });
}
