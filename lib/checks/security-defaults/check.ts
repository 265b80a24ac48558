/** R3: Security Defaults are in the state the profile expects (strict: disabled). */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { disabledByProfile, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";

const PROPERTIES_URL = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView";

const meta = checkMeta({
  id: "security-defaults",
  title: "Security Defaults",
  requirement: "R3",
  requiredState: "Security Defaults are disabled",
  shortName: "Security Defaults",
  rank: 2,
  severity: "now",
  facts: ["securityDefaults"],
  description:
    "Security Defaults require MFA from every administrator, scripts included, and allow no per-account exclusion: with them on, a " +
    "non-interactive Global Administrator sign-in is challenged. Tenant-wide, so it is judged even when the account is missing.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Overview → Properties → Manage security defaults.",
    "2. Set Security defaults to Disabled, give a reason, Save.",
    "3. Protect the other accounts with Conditional Access policies instead (excluding the connection account).",
  ].join("\n"),
  links: [{ label: "Entra admin center → Properties (Manage security defaults)", url: PROPERTIES_URL }],
  references: ["https://learn.microsoft.com/entra/fundamentals/security-defaults"],
});

const ENABLE_STEPS = "Entra admin center (https://entra.microsoft.com) → Identity → Overview → Properties → Manage security defaults → Enabled → Save.";

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const off = disabledByProfile(meta, profile);
  if (off) return off;
  const problem = unreadable(meta, facts.securityDefaults, "Security Defaults");
  if (problem || !facts.securityDefaults.ok) return problem ?? result(meta, "unknown", "Could not read Security Defaults");

  const enabled = facts.securityDefaults.value.isEnabled;
  const state = enabled ? "enabled" : "disabled";
  const summary = `Security Defaults are ${state}`;
  const evidence = [`isEnabled ${String(enabled)}`];
  if (profile.securityDefaults === "any" || profile.securityDefaults === state) return result(meta, "pass", summary, { evidence });
  return result(meta, "fail", summary, {
    reason: `Profile ${profile.name} expects Security Defaults ${profile.securityDefaults}.`,
    remediation: profile.securityDefaults === "enabled" ? ENABLE_STEPS : meta.remediation,
    evidence,
  });
}

export const securityDefaultsCheck = defineCheck(meta, run);
