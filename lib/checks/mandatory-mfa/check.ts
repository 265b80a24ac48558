/**
 * Microsoft's mandatory MFA: the account's sign-ins to the apps Microsoft enforces MFA on for every
 * user (apps.ts) are a finding no Conditional Access exclusion can fix — the automation must move to
 * a workload identity. Read from the observed sign-in contexts (Entra ID P1).
 */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { contextLabel } from "../conditional-access/contexts.js";
import { gate, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { mandatoryMfaAppOf } from "./apps.js";

const meta = checkMeta({
  id: "mandatory-mfa",
  title: "No sign-in to an app where Microsoft enforces MFA",
  requirement: "R13",
  requiredState: "no recent sign-in to the Azure portal, admin centers, Azure CLI, Azure PowerShell or Azure Resource Manager",
  shortName: "Mandatory MFA",
  rank: 13,
  severity: "now",
  facts: ["account", "signInContexts"],
  description:
    "Microsoft requires MFA for every user signing in to the Azure portal and the Entra and Intune admin centers (phase 1) and to Azure CLI, " +
    "Azure PowerShell and Azure Resource Manager (phase 2), regardless of Conditional Access: no exclusion lifts it, so an unattended user " +
    "account signing in there stops working.",
  remediation: [
    "Move the automation that signs in to these apps to a workload identity: a service principal (certificate or federated credential) or a managed identity.",
    "Azure CLI: az login --service-principal or --identity; Azure PowerShell: Connect-AzAccount -ServicePrincipal or -Identity.",
  ].join("\n"),
  links: [{ label: "Entra admin center → Sign-in logs", url: "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/SignInLogsList.ReactView" }],
  references: [
    "https://learn.microsoft.com/entra/identity/authentication/concept-mandatory-multifactor-authentication",
    "https://learn.microsoft.com/entra/workload-id/workload-identities-overview",
  ],
});

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.signInContexts, "the account's sign-in contexts");
  if (problem || !facts.signInContexts.ok) return problem ?? result(meta, "unknown", "Could not read the account's sign-in contexts");
  const hits = facts.signInContexts.value.flatMap((c) => {
    const app = mandatoryMfaAppOf(c);
    return app ? [{ c, app }] : [];
  });
  if (hits.length === 0) {
    return result(meta, "pass", "No recent sign-in to an app where Microsoft enforces MFA", {
      evidence: [`${facts.signInContexts.value.length} sign-in context(s) seen`],
    });
  }
  const names = [...new Set(hits.map((h) => h.app.name))];
  const evidence = hits.map(({ c, app }) => {
    const where = `signed in to ${app.name} (${c.appId ?? c.resourceId}) from ${contextLabel(c)}`;
    return `${where}: Microsoft enforces MFA there since ${app.since} (phase ${app.phase})`;
  });
  return result(meta, "fail", `The account signs in to ${names.join(", ")}, where Microsoft enforces MFA`, {
    reason:
      `Microsoft's mandatory MFA covers ${names.join(", ")} (since ${[...new Set(hits.map((h) => h.app.since))].join(" / ")}) ` +
      "whatever Conditional Access says: no policy exclusion can lift it. The automation must move to a workload identity " +
      "(service principal or managed identity).",
    evidence,
  });
}

export const mandatoryMfaCheck = defineCheck(meta, run);
