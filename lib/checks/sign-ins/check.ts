/**
 * R7: no sign-in of the account in the look-back window was interrupted by MFA or Conditional
 * Access. The ground truth that the configuration has already bitten. The window ends at
 * `facts.collectedAt` (the core has no clock); sign-ins stamped after it (clock skew between
 * Graph and the collector) are kept rather than hidden.
 */
import type { CheckResult, Profile, SignInFact, TenantFacts } from "../../model/index.js";
import { gate, plural, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { MFA_OR_CA_ERROR_CODES } from "../well-known.js";

const meta = checkMeta({
  id: "sign-ins",
  title: "No sign-in interrupted by MFA or Conditional Access",
  requirement: "R7",
  // The codes come from MFA_OR_CA_ERROR_CODES, so the README's table cannot fall behind the rule.
  requiredState: `no sign-in in the last SIGNIN_LOOKBACK_HOURS interrupted by MFA or Conditional Access (${[...MFA_OR_CA_ERROR_CODES.keys()].join(", ")})`,
  shortName: "Sign-ins",
  rank: 5,
  facts: ["account", "signIns"],
  description:
    "Sign-ins of the account that failed with 50072, 50074, 50076, 50079 (MFA required or registration required), 53003 (blocked by Conditional " +
    "Access) or 53000, 53001, 53002, 530032 (a Conditional Access requirement it cannot meet: compliant or domain-joined device, approved app, " +
    "tenant security policy) show that the service is already broken. Reading sign-in logs needs Entra ID P1.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Monitoring & health → Sign-in logs → filter by the connection account (include User sign-ins (non-interactive)).",
    "2. Open a failed sign-in → Conditional Access tab: the policies that applied; Authentication details: the MFA requirement and where it came from.",
    "3. Fix its cause with the other checks' steps (exclude the account from the policy, disable per-user MFA or Security Defaults), then let " +
      "the service sign in again.",
  ].join("\n"),
  links: [],
  references: ["https://learn.microsoft.com/entra/identity-platform/reference-error-codes", "https://learn.microsoft.com/graph/api/resources/signin"],
});

function describe(s: SignInFact): string {
  const app = s.appDisplayName ?? s.appId ?? "unknown app";
  const why = MFA_OR_CA_ERROR_CODES.get(s.errorCode) ?? s.failureReason ?? "";
  const resource = s.resourceDisplayName ? ` → ${s.resourceDisplayName}` : "";
  return `${s.createdDateTime} ${app}${resource}: ${s.errorCode} ${why}`.trim();
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.signIns, "sign-in logs");
  if (problem || !facts.signIns.ok) return problem ?? result(meta, "unknown", "Could not read sign-in logs");

  const hours = facts.signInLookbackHours;
  const since = Date.parse(facts.collectedAt) - hours * 3_600_000;
  const interrupted = facts.signIns.value.filter((s) => {
    const at = Date.parse(s.createdDateTime);
    // An unparseable time cannot be placed outside the window: keep it rather than hide it.
    return MFA_OR_CA_ERROR_CODES.has(s.errorCode) && (Number.isNaN(at) || Number.isNaN(since) || at >= since);
  });
  const window = `the last ${plural(hours, "hour", "hours")}`;
  if (interrupted.length === 0) {
    return result(meta, "pass", `No sign-in interrupted by MFA or Conditional Access in ${window}`, {
      // The collector asks Graph only for failures with these codes, interactive and not.
      evidence: [`Interactive and non-interactive sign-ins of ${window} read: none failed with ${[...MFA_OR_CA_ERROR_CODES.keys()].join(", ")}`],
    });
  }
  return result(meta, "fail", `${plural(interrupted.length, "sign-in was", "sign-ins were")} interrupted by MFA or Conditional Access in ${window}`, {
    reason: `Codes seen: ${[...new Set(interrupted.map((s) => s.errorCode))].join(", ")}.`,
    evidence: interrupted.map(describe),
  });
}

export const signInsCheck = defineCheck(meta, run);
