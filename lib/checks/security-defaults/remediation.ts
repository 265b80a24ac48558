/**
 * Security Defaults are never switched off by Drift Monitor: turning them off removes MFA and the
 * legacy-authentication block for every user of the tenant at once, and leaves it unprotected
 * unless Conditional Access policies replace them. That trade is a person's decision.
 */
import type { ManualRemediation } from "../../remediation/plan.js";

export function securityDefaultsRemediation(): ManualRemediation {
  return {
    manual:
      "Turning Security Defaults off removes MFA and the legacy-authentication block for every user of the tenant, not only the account; " +
      "a person decides it, and replaces them with Conditional Access policies that exclude the account.",
  };
}
