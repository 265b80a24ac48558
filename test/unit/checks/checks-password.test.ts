/** Every status of the password-expiry and password-change-forced checks, under both profiles, and turned off by a profile. */
import { describe, it } from "vitest";
import type { Profile } from "../../../lib/model/index.js";
import { account, facts, failed, ok } from "./builders.js";
import { both, expectRow, forbidden, notFound, strict } from "./checks-helpers.js";

// The builders collect at 2026-01-02T12:00Z; the account is svc-connect@contoso.com.
const expiring = (over: Parameters<typeof account>[0], validity: number | null, extra: Parameters<typeof facts>[0] = {}) =>
  facts({
    account: ok(account({ passwordPolicies: "None", ...over })),
    domainPasswordPolicies: ok([
      { id: "contoso.onmicrosoft.com", isDefault: false, passwordValidityPeriodInDays: 2147483647 },
      { id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: validity },
    ]),
    ...extra,
  });

describe("password-expiry (R8)", () => {
  it.each(
    both([
      { name: "DisablePasswordExpiration", facts: facts(), status: "pass", summary: "The account's password never expires" },
      {
        name: "DisablePasswordExpiration among other policies, domains unreadable",
        facts: facts({
          account: ok(account({ passwordPolicies: "DisableStrongPassword, DisablePasswordExpiration" })),
          domainPasswordPolicies: forbidden("Domain.Read.All"),
        }),
        status: "pass",
      },
      { name: "the domain never expires", facts: expiring({}, 2147483647), status: "pass", summary: "Passwords of contoso.com never expire" },
      {
        name: "expires in 60 days",
        facts: expiring({ lastPasswordChangeDateTime: "2025-12-03T12:00:00Z" }, 90),
        status: "pass",
        summary: "The account's password expires on 2026-03-03",
      },
      {
        name: "expires within 14 days",
        facts: expiring({ lastPasswordChangeDateTime: "2025-10-10T12:00:00Z" }, 90),
        status: "warn",
        summary: "The account's password expires on 2026-01-08, in 6 days",
        reason: /PASSWORD_EXPIRY_WARN_DAYS \(14\)/,
      },
      {
        name: "the domain's validity unset means 90 days",
        facts: expiring({ lastPasswordChangeDateTime: "2025-10-10T12:00:00Z" }, null),
        status: "warn",
        evidence: /not set \(90\)/,
      },
      {
        name: "a wider warning window",
        facts: expiring({ lastPasswordChangeDateTime: "2025-12-03T12:00:00Z" }, 90, { warnDays: { passwordExpiry: 60, managedPolicy: 14 } }),
        status: "warn",
      },
      {
        name: "expired",
        facts: expiring({ lastPasswordChangeDateTime: "2025-09-01T00:00:00Z" }, 90),
        status: "fail",
        summary: "The account's password expired on 2025-11-30",
        reason: /AADSTS50055/,
      },
      {
        name: "UPN domain matched case-insensitively",
        facts: expiring({ userPrincipalName: "svc@Contoso.COM", lastPasswordChangeDateTime: "2025-09-01T00:00:00Z" }, 90),
        status: "fail",
      },
      { name: "no last change", facts: expiring({ lastPasswordChangeDateTime: null }, 90), status: "unknown", reason: /lastPasswordChangeDateTime/ },
      { name: "domain not listed", facts: expiring({ userPrincipalName: "svc@other.example" }, 90), status: "unknown", reason: /other\.example/ },
      {
        name: "domains forbidden (consented before Domain.Read.All existed): skipped naming the permission, never unknown",
        facts: facts({ account: ok(account({ passwordPolicies: null })), domainPasswordPolicies: forbidden("Domain.Read.All") }),
        status: "skipped",
        summary: "Skipped: grant the application Domain.Read.All to read the domain's password lifetime",
        reason: /Domain\.Read\.All.*not checked, unless the account's passwordPolicies disable expiry/,
      },
      {
        name: "domains unavailable (a Graph failure): unknown",
        facts: facts({ account: ok(account({ passwordPolicies: null })), domainPasswordPolicies: failed("unavailable", "Graph answered 503") }),
        status: "unknown",
        reason: /503/,
      },
      { name: "account missing", facts: facts(notFound), status: "skipped" },
      { name: "account unreadable", facts: facts({ account: failed("unavailable") }), status: "unknown" },
    ]),
  )("%s", (_name, row, profile) => expectRow("password-expiry", row, profile));

  it("is skipped when the profile turns it off", () => {
    const off: Profile = { ...strict, name: "no-password", disabledChecks: ["password-expiry", "password-change-forced"] };
    expectRow("password-expiry", { name: "off", facts: expiring({ lastPasswordChangeDateTime: "2025-09-01T00:00:00Z" }, 90), status: "skipped" }, off);
    const forced = facts({ account: ok(account({ forceChangePasswordNextSignIn: true })) });
    expectRow("password-change-forced", { name: "off", facts: forced, status: "skipped" }, off);
  });
});

describe("password-change-forced (R9)", () => {
  it.each(
    both([
      { name: "not forced", facts: facts(), status: "pass", summary: "No password change is forced" },
      {
        name: "forced",
        facts: facts({ account: ok(account({ forceChangePasswordNextSignIn: true })) }),
        status: "fail",
        summary: "A password change is forced at the account's next sign-in",
        evidence: /forceChangePasswordNextSignIn true/,
      },
      { name: "not returned", facts: facts({ account: ok(account({ forceChangePasswordNextSignIn: null })) }), status: "unknown", reason: /User\.Read\.All/ },
      { name: "account missing", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_name, row, profile) => expectRow("password-change-forced", row, profile));
});
