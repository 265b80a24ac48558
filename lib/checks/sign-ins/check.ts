/**
 * R7: no sign-in of the account in the look-back window failed for a cause that stops an
 * unattended sign-in — MFA, Conditional Access, Security Defaults, mandatory MFA, user risk, an
 * expired or wrong password, a forced change, a locked or disabled account, revoked sessions
 * (lib/checks/sign-ins/causes.ts). The ground truth that something has already bitten. Each
 * failure is classified by cause; the evidence is grouped by cause (each line starts with the
 * cause's title, which the emails group on) and the fix names each cause seen. The window ends at
 * `facts.collectedAt` (the core has no clock); sign-ins stamped after it (clock skew between Graph
 * and the collector) are kept rather than hidden.
 */
import type { CheckResult, Profile, SignInFact, TenantFacts } from "../../model/index.js";
import { gate, plural, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { CAUSES, causeOf, SIGN_IN_FAILURES, type SignInCause } from "./causes.js";

const CODES = [...SIGN_IN_FAILURES.keys()].join(", ");

const meta = checkMeta({
  id: "sign-ins",
  title: "No sign-in failed for a cause that stops unattended sign-ins",
  requirement: "R7",
  // The codes come from SIGN_IN_FAILURES, so the README's table cannot fall behind the rule.
  requiredState: `no sign-in in the last SIGNIN_LOOKBACK_HOURS failed with ${CODES}`,
  shortName: "Sign-ins",
  rank: 5,
  severity: "now",
  facts: ["account", "signIns"],
  description:
    "Failed sign-ins of the account show that the service is already broken, and why: MFA required (50072, 50074, 50076, 50079; Microsoft's " +
    "mandatory MFA when the app is Azure management), Conditional Access (53003, 53000, 53001, 53002, 530032), Security Defaults (530035), user " +
    "risk (53004, 50135), an expired password (50055), a required password change (50125), a wrong password (50126), a locked (50053) or " +
    "disabled (50057) account, revoked sessions (50173, 50133). Reading sign-in logs needs Entra ID P1.",
  remediation: [
    "1. Entra admin center (https://entra.microsoft.com) → Identity → Monitoring & health → Sign-in logs → filter by the " +
      "connection account (include User sign-ins (non-interactive)).",
    "2. Open a failed sign-in: its Basic info names the failure; the Conditional Access tab the policies that applied; " +
      "Authentication details where MFA came from.",
    "3. Fix its cause (the steps for each cause seen are below, and the other checks name the policy or setting), then let the service sign in again.",
  ].join("\n"),
  links: [],
  references: ["https://learn.microsoft.com/entra/identity-platform/reference-error-codes", "https://learn.microsoft.com/graph/api/resources/signin"],
});

const CAUSE_ORDER = Object.keys(CAUSES) as SignInCause[];

function describe(s: SignInFact, cause: SignInCause): string {
  const app = s.appDisplayName ?? s.appId ?? "unknown app";
  const why = SIGN_IN_FAILURES.get(s.errorCode)?.meaning ?? s.failureReason ?? "";
  const resource = s.resourceDisplayName ? ` → ${s.resourceDisplayName}` : "";
  return `${CAUSES[cause].title}: ${`${s.createdDateTime} ${app}${resource}: ${s.errorCode} ${why}`.trim()}`;
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const problem = unreadable(meta, facts.signIns, "sign-in logs");
  if (problem || !facts.signIns.ok) return problem ?? result(meta, "unknown", "Could not read sign-in logs");

  const hours = facts.signInLookbackHours;
  const since = Date.parse(facts.collectedAt) - hours * 3_600_000;
  const failed = facts.signIns.value.flatMap((s) => {
    const at = Date.parse(s.createdDateTime);
    const cause = causeOf(s);
    // An unparseable time cannot be placed outside the window: keep it rather than hide it.
    const inWindow = Number.isNaN(at) || Number.isNaN(since) || at >= since;
    return cause && inWindow ? [{ s, cause }] : [];
  });
  const window = `the last ${plural(hours, "hour", "hours")}`;
  if (failed.length === 0) {
    return result(meta, "pass", `No sign-in failed for a cause that stops unattended sign-ins in ${window}`, {
      // The collector asks Graph only for failures with these codes, interactive and not.
      evidence: [`Interactive and non-interactive sign-ins of ${window} read: none failed with ${CODES}`],
    });
  }
  // Grouped by cause (in CAUSES' order), newest first within a cause (the fact is newest first).
  const causes = CAUSE_ORDER.filter((c) => failed.some((f) => f.cause === c));
  const evidence = causes.flatMap((c) => failed.filter((f) => f.cause === c).map((f) => describe(f.s, c)));
  const fixes = causes.map((c, i) => `${i + 4}. ${CAUSES[c].title}: ${CAUSES[c].fix}`);
  return result(meta, "fail", `${plural(failed.length, "sign-in", "sign-ins")} failed in ${window}: ${causes.map((c) => CAUSES[c].title).join("; ")}`, {
    reason: `Codes seen: ${[...new Set(failed.map((f) => f.s.errorCode))].join(", ")}.`,
    remediation: [meta.remediation, ...fixes].join("\n"),
    evidence,
  });
}

export const signInsCheck = defineCheck(meta, run);
