/**
 * When the registration report and the session-revocation audit read are due (their `due`,
 * table-driven), and what each holds when it is not read.
 */
import { describe, expect, it } from "vitest";
import { periodOf } from "../../../lib/graph/facts/periods.js";
import { methodsChanged, registrationReportDue } from "../../../lib/graph/facts/registration-details.js";
import { revocationDue } from "../../../lib/graph/facts/session-revocation.js";
import type { Fact, RegistrationDetailsFact } from "../../../lib/model/facts.js";
import { hoursAgo, NOW, password, previous, run, tenant } from "./due-helpers.js";

const report: Fact<RegistrationDetailsFact> = {
  ok: true,
  value: { isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: null },
};
const authenticator = { id: "a", type: "microsoftAuthenticatorAuthenticationMethod", label: "Pixel" };
/** Tenant 0's 6-hour period did not turn in the hour before NOW (a premise the test below checks). */
const readRecently = previous({ registrationDetails: { fact: report, readAt: hoursAgo(0.5) } });

describe("the registration report's due", () => {
  it("(premise) tenant 0's period did not turn in the last hour", () => {
    expect(periodOf(tenant(0), NOW.getTime(), 6)).toBe(periodOf(tenant(0), Date.parse(hoursAgo(1)), 6));
  });

  it.each([
    ["no state kept (the CLI's check)", undefined, {}, "read"],
    ["the tenant's first run", null, {}, "read"],
    ["the methods list never read", previous({ registrationDetails: { fact: report, readAt: hoursAgo(0.5) } }, { methods: null }), {}, "read"],
    ["no value worth carrying (no snapshot, or a failure in it)", previous({}), {}, "read"],
    ["read a whole period ago", previous({ registrationDetails: { fact: report, readAt: hoursAgo(6) } }), {}, "read"],
    ["read this period, before the batches", readRecently, {}, "carry"],
    ["read this period, the methods unchanged", readRecently, { authMethods: { ok: true, value: [password] } }, "carry"],
    ["read this period, a method added", readRecently, { authMethods: { ok: true, value: [password, authenticator] } }, "read"],
    [
      "read this period, the methods unreadable (the report is the fallback)",
      readRecently,
      { authMethods: { ok: false, code: "forbidden", reason: "403" } },
      "read",
    ],
  ] as const)("%s → %s", (_name, prev, read, expected) => {
    expect(registrationReportDue.due(prev, run(read as never))).toBe(expected);
  });

  it("is read on every run without REGISTRATION_REPORT_HOURS", () => {
    expect(registrationReportDue.due(readRecently, { ...run(), periods: { signInContextHours: 6, signInContextDays: 14 } })).toBe("read");
  });

  it("decides again after the batches, from the methods (its `after`)", () => {
    expect(registrationReportDue.after).toEqual(["authMethods"]);
  });

  it("over a day of half-hourly runs, reads once per 6-hour period", () => {
    const at = Date.UTC(2026, 2, 2, 8, 0, 0);
    let readAt = new Date(at).toISOString();
    let reads = 0;
    for (let i = 1; i <= 48; i += 1) {
      const now = new Date(at + i * 1_800_000);
      const prev = previous({ registrationDetails: { fact: report, readAt } }, { tenantId: tenant(1) });
      if (registrationReportDue.due(prev, run({ authMethods: { ok: true, value: [password] } }, now)) === "read") {
        reads += 1;
        readAt = now.toISOString();
      }
    }
    expect(reads).toBe(4);
  });

  it("spreads the tenants' reads over the period", () => {
    const at = Date.UTC(2026, 2, 2, 8, 0, 0);
    const periods = new Set<number>();
    for (let i = 0; i < 200; i += 1) periods.add(periodOf(tenant(i), at, 6));
    expect(periods.size).toBe(2); // offsets in [0, 6 h): some tenants already in the next period
  });

  it.each([
    ["the same methods", [password], false],
    ["a method added", [password, authenticator], true],
  ] as const)("methodsChanged: %s → %s", (_n, now, expected) => {
    expect(methodsChanged([password], { ok: true, value: now })).toBe(expected);
  });
});

describe("the session-revocation audit read's due", () => {
  const account = (validFrom: string | null) => ({
    ok: true as const,
    value: {
      id: "u",
      userPrincipalName: "a@b",
      displayName: null,
      accountEnabled: true,
      onPremisesSyncEnabled: null,
      userType: "Member",
      signInSessionsValidFromDateTime: validFrom,
    },
  });
  const activity = (last: string | null) => ({
    ok: true as const,
    value: { lastSuccessfulSignInDateTime: last, lastSignInDateTime: last, lastNonInteractiveSignInDateTime: null },
  });

  it.each([
    ["before the batches (nothing read yet)", {}, "carry"],
    ["sessions revoked after the last sign-in", { account: account(hoursAgo(1)), signInActivity: activity(hoursAgo(2)) }, "read"],
    ["sessions revoked before the last sign-in", { account: account(hoursAgo(2)), signInActivity: activity(hoursAgo(1)) }, "carry"],
    ["never revoked", { account: account(null), signInActivity: activity(hoursAgo(1)) }, "carry"],
    ["the sign-in activity unreadable", { account: account(hoursAgo(1)), signInActivity: { ok: false, code: "unlicensed", reason: "P1" } }, "carry"],
  ] as const)("%s → %s", (_name, read, expected) => {
    expect(revocationDue.due(null, run(read as never))).toBe(expected);
  });

  it("holds null (nothing to look up) when not read, never an earlier answer", () => {
    expect(revocationDue.carry?.(undefined, run())).toEqual({ ok: true, value: null });
  });
});
