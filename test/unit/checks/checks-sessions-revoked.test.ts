/** Every status of the sessions-revoked check, under both profiles. */
import { describe, it } from "vitest";
import { account, facts, failed, ok } from "./builders.js";
import { both, expectRow, forbidden, notFound } from "./checks-helpers.js";

const activity = (lastSuccessfulSignInDateTime: string | null) =>
  ok({ lastSuccessfulSignInDateTime, lastSignInDateTime: lastSuccessfulSignInDateTime, lastNonInteractiveSignInDateTime: null });
const revokedAt = (signInSessionsValidFromDateTime: string | null) => ok(account({ signInSessionsValidFromDateTime }));

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
        name: "revoked after the last sign-in",
        facts: facts({ account: revokedAt("2026-01-02T11:30:00Z"), signInActivity: activity("2026-01-02T11:00:00Z") }),
        status: "warn",
        summary: "The account's sessions were revoked at 2026-01-02T11:30:00Z, after its last sign-in",
        reason: /audit log/,
        evidence: /lastSuccessfulSignInDateTime 2026-01-02T11:00:00Z/,
      },
      { name: "never signed in", facts: facts({ signInActivity: activity(null) }), status: "pass", summary: /no successful sign-in/ },
      { name: "no valid-from time", facts: facts({ account: revokedAt(null) }), status: "unknown", reason: /signInSessionsValidFromDateTime/ },
      { name: "no P1", facts: facts({ signInActivity: failed("unlicensed", "The tenant has no Entra ID P1 licence") }), status: "skipped" },
      { name: "no permission", facts: facts({ signInActivity: forbidden("AuditLog.Read.All") }), status: "unknown", reason: /AuditLog\.Read\.All/ },
      { name: "account missing", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_name, row, profile) => expectRow("sessions-revoked", row, profile));
});
