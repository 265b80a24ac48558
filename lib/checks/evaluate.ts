/**
 * The whole verdict for one tenant: every check in the order of CHECK_IDS, then the tenant
 * status (`drifted` if any fails, else `unknown` if any is unknown, else `compliant`) and the
 * warnings count. Pure: time is `facts.collectedAt`.
 */
import { CHECK_IDS } from "../model/index.js";
import type { CheckId, CheckResult, Profile, Report, TenantFacts, TenantStatus } from "../model/index.js";
import { accountCheck } from "./account/check.js";
import { adminRoleCheck } from "./admin-role/check.js";
import { conditionalAccessCheck } from "./conditional-access/check.js";
import { mfaRegistrationCheck } from "./mfa-registration/check.js";
import { perUserMfaCheck } from "./per-user-mfa/check.js";
import { securityDefaultsCheck } from "./security-defaults/check.js";
import { signInsCheck } from "./sign-ins/check.js";
import type { Check } from "./types.js";

export const CHECKS: Readonly<Record<CheckId, Check>> = {
  account: accountCheck,
  "admin-role": adminRoleCheck,
  "security-defaults": securityDefaultsCheck,
  "per-user-mfa": perUserMfaCheck,
  "conditional-access": conditionalAccessCheck,
  "mfa-registration": mfaRegistrationCheck,
  "sign-ins": signInsCheck,
};

export function tenantStatus(checks: readonly CheckResult[]): TenantStatus {
  if (checks.some((c) => c.status === "fail")) return "drifted";
  if (checks.some((c) => c.status === "unknown")) return "unknown";
  return "compliant";
}

export function evaluate(facts: TenantFacts, profile: Profile): Report {
  const checks = CHECK_IDS.map((id) => CHECKS[id].run(facts, profile));
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
