/** Every status of the sessions-revoked check, under both profiles. */
import { describe, it } from "vitest";
import { account, facts, failed, ok } from "./builders.js";
import { both, expectRow, forbidden, notFound } from "./checks-helpers.js";

const activity = (lastSuccessfulSignInDateTime: string | null) =>
  ok({ lastSuccessfulSignInDateTime, lastSignInDateTime: lastSuccessfulSignInDateTime, lastNonInteractiveSignInDateTime: null });
const revokedAt = (signInSessionsValidFromDateTime: string | null) => ok(account({ signInSessionsValidFromDateTime }));
const revoked = { account: revokedAt("2026-01-02T11:30:00Z"), signInActivity: activity("2026-01-02T11:00:00Z") };
const event = (activityDateTime: string, activity: string, initiatedBy: string | null, initiatorKind: "user" | "app" | null = "user") => ({
  activityDateTime,
  activity,
  result: "success",
  initiatedBy,
  initiatorKind,
});

describe("sessions-revoked (R11)", () => {
  it.each(
    both([
      {
        name: "signed in after the last reset (no sign-in time in a pass: it moves every run)",
        facts: facts(),
        status: "pass",
        summary: "The account signed in after its sessions were last reset",
        evidence: /^signInSessionsValidFromDateTime 2025-06-01T00:00:00Z$/,
      },
      {
        name: "revoked at the very time of the last sign-in",
        facts: facts({ account: revokedAt("2026-01-02T11:00:00Z"), signInActivity: activity("2026-01-02T11:00:00Z") }),
        status: "pass",
      },
      {
        name: "revoked after the last sign-in; the audit log names who (the event closest to the time, not the newest)",
        facts: facts({
          ...revoked,
          sessionRevocation: ok({
            events: [
              event("2026-01-02T11:38:00Z", "Update user", "helpdesk@contoso.com"),
              event("2026-01-02T11:30:02Z", "Invalidate all refresh tokens for user", "admin@contoso.com"),
              event("2026-01-02T11:21:00Z", "Reset user password", "other@contoso.com"),
            ],
          }),
        }),
        status: "warn",
        summary: "The account's sessions were revoked at 2026-01-02T11:30:00Z, after its last sign-in",
        reason: /The audit log shows "Invalidate all refresh tokens for user" on the account by admin@contoso\.com at 2026-01-02T11:30:02Z\.$/,
        evidence: /audit log: "Invalidate all refresh tokens for user" by admin@contoso\.com at 2026-01-02T11:30:02Z \(success\)/,
      },
      {
        name: "revoked by an app (a script, a SOAR playbook)",
        facts: facts({ ...revoked, sessionRevocation: ok({ events: [event("2026-01-02T11:30:00Z", "Revoke user sessions", "Sentinel playbook", "app")] }) }),
        status: "warn",
        reason: /by the app Sentinel playbook at/,
      },
      {
        name: "revoked; the audit log has nothing near that time (retention)",
        facts: facts({ ...revoked, sessionRevocation: ok({ events: [] }) }),
        status: "warn",
        reason: /no entry on the account within 10 minutes of that time .*cannot say who revoked them/,
        evidence: /lastSuccessfulSignInDateTime 2026-01-02T11:00:00Z/,
      },
      {
        name: "revoked; the audit log unreadable: still the warning, saying why it cannot name who",
        facts: facts({ ...revoked, sessionRevocation: forbidden("AuditLog.Read.All") }),
        status: "warn",
        reason: /The audit log could not be read to say who revoked them \(.*AuditLog\.Read\.All/,
      },
      { name: "never signed in", facts: facts({ signInActivity: activity(null) }), status: "pass", summary: /no successful sign-in/ },
      { name: "no valid-from time", facts: facts({ account: revokedAt(null) }), status: "unknown", reason: /signInSessionsValidFromDateTime/ },
      { name: "no P1", facts: facts({ signInActivity: failed("unlicensed", "The tenant has no Entra ID P1 licence") }), status: "skipped" },
      { name: "no permission", facts: facts({ signInActivity: forbidden("AuditLog.Read.All") }), status: "unknown", reason: /AuditLog\.Read\.All/ },
      { name: "account missing", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_name, row, profile) => expectRow("sessions-revoked", row, profile));
});
