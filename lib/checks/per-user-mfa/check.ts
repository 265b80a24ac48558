/** R4: legacy per-user MFA is disabled for the account. */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { gate, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";

const meta = checkMeta({
  id: "per-user-mfa",
  title: "Per-user MFA is disabled",
  requirement: "R4",
  requiredState: "legacy per-user MFA is `disabled`",
  shortName: "Per-user MFA",
  rank: 3,
  severity: "now",
  facts: ["account", "perUserMfa"],
  description: "Legacy per-user MFA in state enabled or enforced challenges every sign-in of the account, whatever Conditional Access says.",
  remediation: [
    "1. Microsoft 365 admin center (https://admin.microsoft.com) → Users → Active users → Multi-factor authentication.",
    "2. Select the connection account → Disable (set its MFA status to Disabled) → confirm.",
    "(Or in the Entra admin center: Identity → Users → All users → Per-user MFA.)",
  ].join("\n"),
  links: [{ label: "Microsoft 365 admin center → Active users", url: "https://admin.microsoft.com/#/users" }],
  references: ["https://learn.microsoft.com/entra/identity/authentication/howto-mfa-userstates"],
});

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.perUserMfa, "per-user MFA state");
  if (problem || !facts.perUserMfa.ok) return problem ?? result(meta, "unknown", "Could not read per-user MFA state");

  const state = facts.perUserMfa.value.perUserMfaState;
  const evidence = [`perUserMfaState ${state}`];
  if (state === "disabled") return result(meta, "pass", "Per-user MFA is disabled", { evidence });
  return result(meta, "fail", `Per-user MFA is ${state}`, {
    reason: `Per-user MFA state ${state} challenges every sign-in of the account.`,
    evidence,
  });
}

export const perUserMfaCheck = defineCheck(meta, run);
