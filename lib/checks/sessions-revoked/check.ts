/**
 * The account's sessions were not revoked since it last signed in. `signInSessionsValidFromDateTime`
 * is reset by "Revoke sessions" (learn.microsoft.com/graph/api/user-revokesigninsessions: it
 * "Invalidates all the refresh tokens issued to applications for a user … by resetting the
 * signInSessionsValidFromDateTime user property"), and by a password change. Later than the last
 * successful sign-in (`signInActivity.lastSuccessfulSignInDateTime`, Entra ID P1), the refresh
 * tokens the automation holds are dead: its next token refresh fails (AADSTS50173/50133) and only a
 * fresh sign-in with the password recovers. A `warn`, mailed once per revocation as an early
 * warning (lib/drift/early-warnings.ts): the service may sign in again by itself, and the
 * warning clears when it has.
 */
import type { AuditEventFact, CheckResult, Profile, TenantFacts } from "../../model/index.js";
import { gate, result, unreadable } from "../result.js";
import { checkMeta, defineCheck } from "../types.js";
import { ENTRA_LINKS } from "../well-known.js";
import { AUDIT_SEARCH_MINUTES, revokedAfterLastSignIn } from "./revoked.js";

const AUDIT_LOG = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuditLogList.ReactView";

const meta = checkMeta({
  id: "sessions-revoked",
  title: "The account's sessions were not revoked since its last sign-in",
  requirement: "R11",
  requiredState: "`signInSessionsValidFromDateTime` not later than the last successful sign-in (a warning, mailed once)",
  shortName: "Sessions revoked",
  rank: 10,
  severity: "now",
  facts: ["account", "signInActivity", "sessionRevocation"],
  description:
    "Revoking the account's sessions (or changing its password) voids every refresh token issued before it. If that happened after the " +
    "automation last signed in, its next token refresh fails (AADSTS50173) until it signs in again with the password. Reading the last " +
    "sign-in needs Entra ID P1.",
  remediation: [
    "1. Make the service sign in again with the account's password (a fresh sign-in gets new refresh tokens); if the password changed, give it the new one.",
    "2. Find out who revoked the sessions and why: Entra admin center → Identity → Monitoring & health → Audit logs → filter Target = the " +
      'account, Activity "Revoke user sessions" (or "Invalidate all refresh tokens for user", "Reset password", "Change user password").',
    "3. If nobody on your team did it, treat the account as possibly compromised: reset its password and review its sign-in logs.",
  ].join("\n"),
  links: [{ label: "Entra admin center → Audit logs", url: AUDIT_LOG }],
  references: ["https://learn.microsoft.com/graph/api/user-revokesigninsessions", "https://learn.microsoft.com/graph/api/resources/signinactivity"],
});

/** The audit event closest to the revocation: the one that set signInSessionsValidFromDateTime, as far as the log can tell. */
function closestEvent(events: readonly AuditEventFact[], at: number): AuditEventFact | undefined {
  const distance = (e: AuditEventFact): number => {
    const t = Date.parse(e.activityDateTime);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : Math.abs(t - at);
  };
  return [...events].sort((a, b) => distance(a) - distance(b))[0];
}

/**
 * Who revoked them, as the audit log tells: a sentence for the reason and, when found, a
 * line of evidence. Names come from the tenant: the renderers escape them like every other value.
 */
function whoRevoked(fact: TenantFacts["sessionRevocation"], at: number): { sentence: string; evidence?: string } {
  if (!fact.ok) {
    const grant = fact.permission ? `; reading it needs the application permission ${fact.permission}` : "";
    return { sentence: `The audit log could not be read to say who revoked them (${fact.reason.replace(/\.$/, "")}${grant}).` };
  }
  // Not read (facts not from the collector, which reads it whenever this warning stands): point to the log.
  if (fact.value === null) return { sentence: "The Entra audit log says who revoked them." };
  const event = closestEvent(fact.value.events, at);
  if (!event) {
    return {
      sentence:
        `The audit log has no entry on the account within ${AUDIT_SEARCH_MINUTES} minutes of that time ` +
        "(it keeps 7 days of entries on Entra ID Free, 30 on P1/P2), so it cannot say who revoked them.",
    };
  }
  const who = event.initiatedBy ? `${event.initiatorKind === "app" ? "the app " : ""}${event.initiatedBy}` : "an initiator the log does not name";
  const what = event.activity ? `"${event.activity}"` : "an unnamed activity";
  return {
    sentence: `The audit log shows ${what} on the account by ${who} at ${event.activityDateTime}.`,
    evidence: `audit log: ${what} by ${who} at ${event.activityDateTime}${event.result ? ` (${event.result})` : ""}`,
  };
}

function run(facts: TenantFacts, profile: Profile): CheckResult {
  const g = gate(meta, facts, profile);
  if (!g.ok) return g.result;
  const validFrom = g.account.signInSessionsValidFromDateTime ?? null;
  const validFromMs = Date.parse(validFrom ?? "");
  if (validFrom === null || Number.isNaN(validFromMs)) {
    return result(meta, "unknown", "Graph did not say since when the account's sessions are valid", {
      reason: "The user object came back without signInSessionsValidFromDateTime.",
    });
  }
  const problem = unreadable(meta, facts.signInActivity, "the account's last sign-ins");
  if (problem || !facts.signInActivity.ok) return problem ?? result(meta, "unknown", "Could not read the account's last sign-ins");
  const last = facts.signInActivity.value.lastSuccessfulSignInDateTime;
  // A pass names no sign-in time: it moves with every sign-in, and a report that changes every
  // run would be stored as a new snapshot every run (lib/runner/digest.ts).
  const evidence = [`signInSessionsValidFromDateTime ${validFrom}`];
  if (last === null || Number.isNaN(Date.parse(last))) {
    return result(meta, "pass", "The account has no successful sign-in on record, so no session to lose", { evidence });
  }
  if (!revokedAfterLastSignIn(validFrom, last)) return result(meta, "pass", "The account signed in after its sessions were last reset", { evidence });
  evidence.push(`lastSuccessfulSignInDateTime ${last}`);
  const who = whoRevoked(facts.sessionRevocation, validFromMs);
  if (who.evidence) evidence.push(who.evidence);
  return result(meta, "warn", `The account's sessions were revoked at ${validFrom}, after its last sign-in`, {
    reason:
      `Refresh tokens issued before ${validFrom} are void, and the account last signed in successfully at ${last}: the automation's next ` +
      `token refresh fails until it signs in again with the password. ${who.sentence}`,
    remediation: `${meta.remediation}\nThe account: ${ENTRA_LINKS.user(g.account.id)}`,
    evidence,
  });
}

export const sessionsRevokedCheck = defineCheck(meta, run, { earlyWarning: () => true });
