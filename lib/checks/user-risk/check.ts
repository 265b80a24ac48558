/**
 * The account is not at risk in Identity Protection (Entra ID P2): `GET
 * /v1.0/identityProtection/riskyUsers/{id}` (learn.microsoft.com/graph/api/riskyuser-get;
 * riskLevel low/medium/high/hidden/none, riskState atRisk/confirmedCompromised/remediated/
 * dismissed/confirmedSafe/none, learn.microsoft.com/graph/api/resources/riskyuser). A Global
 * Administrator at risk is a security event whatever the policies say: a `warn` of its own, mailed
 * once (lib/drift/early-warnings.ts). Whether a user-risk policy now blocks it is the
 * conditional-access check's verdict (lib/checks/conditional-access/user-risk.ts). Without P2 the
 * check is `skipped`.
 */
import type { CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { describeFailure, gate, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { ENTRA_LINKS } from "../well-known.js";

const meta = checkMeta({
  id: "user-risk",
  title: "The account is not at risk in Identity Protection",
  requirement: "R10",
  requiredState: "no user risk (`riskState` not atRisk or confirmedCompromised); Entra ID P2",
  shortName: "User risk",
  rank: 9,
  severity: "now",
  facts: ["account", "riskyUser"],
  description:
    "Identity Protection flags an account whose credentials look leaked or whose sign-ins look anomalous. A user-risk Conditional Access " +
    "policy then blocks it or demands a secure password change it cannot make (AADSTS53004, 50135), and a Global Administrator at risk may " +
    "be compromised. Reading user risk needs Entra ID P2.",
  remediation: [
    "1. Entra admin center → Protection → Identity Protection → Risky users → the connection account: read its risk detections.",
    "2. If the activity was the automation's own (a new host, a new IP), choose Confirm user safe; otherwise reset its password (and give the " +
      "service the new one), revoke its sessions and review its sign-in and audit logs.",
    "3. Do not exclude it from user-risk policies unless you are sure it is not compromised.",
  ].join("\n"),
  links: [{ label: "Entra admin center → Risky users", url: "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/IdentityProtectionMenuBlade/~/RiskyUsers" }],
  references: [
    "https://learn.microsoft.com/graph/api/resources/riskyuser",
    "https://learn.microsoft.com/entra/id-protection/howto-identity-protection-remediate-unblock",
  ],
});

/** learn.microsoft.com/graph/api/riskyuser-get: the least privileged application permission. */
const READ_PERMISSION = "IdentityRiskyUser.Read.All";

const AT_RISK: ReadonlySet<string> = new Set(["atRisk", "confirmedCompromised"]);

/**
 * Reading user risk is optional: a tenant without Entra ID P2 (Graph: 403 "Your tenant is not licensed
 * for this feature", lib/graph/errors.ts) or an application not granted IdentityRiskyUser.Read.All
 * (a later addition to the app's permissions, lacking wherever consent predates it) is `skipped`, saying what would
 * turn it on, never `unknown`: `unknown` would mark every such tenant degraded and, in time, mail it so.
 * Other failures (Graph down, throttled) stay `unknown`.
 */
function notReadable(fact: Extract<TenantFacts["riskyUser"], { ok: false }>): CheckResult {
  if (fact.code === "unlicensed") {
    return result(meta, "skipped", "Skipped: reading user risk needs Entra ID P2 (Identity Protection), which the tenant lacks", { reason: fact.reason });
  }
  if (fact.code === "forbidden") {
    const permission = fact.permission ?? READ_PERMISSION;
    return result(meta, "skipped", `Skipped: grant the application ${permission} to read the account's user risk`, {
      reason: `${describeFailure(fact)}. Reading user risk also needs Entra ID P2.`,
    });
  }
  return unreadable(meta, fact, "the account's user risk") ?? result(meta, "unknown", "Could not read the account's user risk");
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  if (!facts.riskyUser.ok) return notReadable(facts.riskyUser);
  const r = facts.riskyUser.value;
  const evidence = [`riskLevel ${r.riskLevel}`, `riskState ${r.riskState}`, ...(r.riskDetail ? [`riskDetail ${r.riskDetail}`] : [])];
  if (r.riskLastUpdatedDateTime) evidence.push(`riskLastUpdatedDateTime ${r.riskLastUpdatedDateTime}`);
  if (!AT_RISK.has(r.riskState)) return result(meta, "pass", "The account is not at risk", { evidence });
  const what = r.riskState === "confirmedCompromised" ? "confirmed compromised" : `at ${r.riskLevel} user risk`;
  return result(meta, "warn", `The account is ${what} in Identity Protection`, {
    reason:
      "A Global Administrator at risk may be compromised, and a user-risk Conditional Access policy blocks its sign-ins or demands a password " +
      "change it cannot make (see the conditional-access check).",
    remediation: `${meta.remediation}\nThe account: ${ENTRA_LINKS.user(g.account.id)}`,
    evidence,
  });
}

export const userRiskCheck = defineCheck(meta, run, { earlyWarning: () => true });
