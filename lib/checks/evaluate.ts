/**
 * The whole verdict for one tenant: every check in the order of the registry, then the tenant
 * status (`drifted` if any fails, else `unknown` if any is unknown, else `compliant`) and the
 * warnings count. Pure: time is `facts.collectedAt`.
 */
import type { CheckResult, Profile, Report, TenantFacts, TenantStatus } from "../model/index.js";
import { REGISTRY } from "./registry.js";

function tenantStatus(checks: readonly CheckResult[]): TenantStatus {
  if (checks.some((c) => c.status === "fail")) return "drifted";
  if (checks.some((c) => c.status === "unknown")) return "unknown";
  return "compliant";
}

export function evaluate(facts: TenantFacts, profile: Profile): Report {
  const checks = REGISTRY.map((c) => c.run(facts, profile));
  const account = facts.account.ok && facts.account.value ? facts.account.value : null;
  return {
    schemaVersion: 1,
    tenantId: facts.tenantId,
    checkedAt: facts.collectedAt,
    profile: profile.name,
    account: { id: account?.id ?? null, userPrincipalName: account?.userPrincipalName ?? null },
    status: tenantStatus(checks),
    warnings: checks.filter((c) => c.status === "warn").length,
    checks,
  };
}
