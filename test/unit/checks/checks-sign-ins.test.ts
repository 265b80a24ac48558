/** Every status of the sign-ins check, under both profiles where they differ. */
import { describe, expect, it } from "vitest";
import { CHECKS, MFA_OR_CA_ERROR_CODES } from "../../../lib/checks/index.js";
import { SIGN_IN_FAILURES } from "../../../lib/checks/sign-ins/causes.js";
import type { SignInFact } from "../../../lib/model/index.js";
import { facts, failed, ok } from "./builders.js";
import type { Row } from "./checks-helpers.js";
import { both, expectRow, forbidden, notFound, strict } from "./checks-helpers.js";

const signIn = (over: Partial<SignInFact>): SignInFact => ({
  id: "si-1",
  createdDateTime: "2026-01-02T11:00:00Z",
  appDisplayName: "Contoso Sync",
  appId: "app-1",
  resourceId: "00000003-0000-0000-c000-000000000000",
  resourceDisplayName: "Microsoft Graph",
  ipAddress: "203.0.113.7",
  errorCode: 0,
  failureReason: null,
  conditionalAccessStatus: "notApplied",
  isInteractive: false,
  ...over,
});

const CAUSE_ROWS: readonly [number, string, string, Partial<SignInFact>?][] = [
  [50072, "MFA was required", "user must enroll for MFA"],
  [50074, "MFA was required", "strong authentication (MFA) required"],
  [50076, "MFA was required", "MFA required by policy or location"],
  [50079, "MFA was required", "user must register for MFA"],
  [53003, "Blocked by Conditional Access", "blocked by Conditional Access"],
  [53000, "Blocked by Conditional Access", "device not compliant (Conditional Access)"],
  [53001, "Blocked by Conditional Access", "device not domain-joined (Conditional Access)"],
  [53002, "Blocked by Conditional Access", "app not approved (Conditional Access)"],
  [530032, "Blocked by Conditional Access", "blocked by a tenant security policy (Conditional Access)"],
  [530035, "Blocked by Security Defaults", "blocked by Security Defaults"],
  [53004, "Blocked because of user risk", "MFA registration blocked due to risk"],
  [50135, "Blocked because of user risk", "password change required due to account risk"],
  [50055, "The password expired", "password expired"],
  [50125, "A password change was required", "sign-in interrupted by a password reset or password-reset registration"],
  [50126, "Wrong password", "invalid username or password"],
  [50053, "The account is locked", "account locked"],
  [50057, "The account is disabled", "account disabled"],
  [50173, "The account's sessions were revoked", "refresh token revoked: a fresh sign-in is needed"],
  [50133, "The account's sessions were revoked", "session invalid after a password change or expiry"],
  [50076, "Microsoft's mandatory MFA for Azure management", "MFA required by policy or location", { appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c" }],
  // Azure PowerShell signing in to Microsoft Graph is not covered by mandatory MFA.
  [50076, "MFA was required", "MFA required by policy or location", { appId: "1950a258-227b-4e31-a9cf-717495945fc2" }],
  // The mandatory-mfa check's rule (mandatoryMfaAppOf): ARM by its resource id, whatever the client.
  [
    50074,
    "Microsoft's mandatory MFA for Azure management",
    "strong authentication (MFA) required",
    { resourceId: "797f4846-ba00-4fd7-ba43-dac1f8f63013", resourceDisplayName: "Windows Azure Service Management API" },
  ],
  // ... and by name only where the record has no resource id.
  [
    50074,
    "Microsoft's mandatory MFA for Azure management",
    "strong authentication (MFA) required",
    { resourceId: null, resourceDisplayName: "Windows Azure Service Management API" },
  ],
  // A resource id other than ARM's decides, whatever the name says.
  [50074, "MFA was required", "strong authentication (MFA) required", { resourceDisplayName: "Azure Resource Manager" }],
  // Azure PowerShell (phase 2) to ARM, and with its resource not logged: as the mandatory-mfa check counts it.
  [
    50076,
    "Microsoft's mandatory MFA for Azure management",
    "MFA required by policy or location",
    { appId: "1950a258-227b-4e31-a9cf-717495945fc2", resourceId: "797f4846-ba00-4fd7-ba43-dac1f8f63013", resourceDisplayName: "Azure Resource Manager" },
  ],
  [
    50076,
    "Microsoft's mandatory MFA for Azure management",
    "MFA required by policy or location",
    { appId: "1950a258-227b-4e31-a9cf-717495945fc2", resourceId: null, resourceDisplayName: null },
  ],
];

const escape = (text: string): string => text.replace(/[()[\]{}.*+?^$|\\]/g, "\\$&");

describe("sign-ins (R7)", () => {
  it.each(
    both([
      { name: "no sign-ins", facts: facts(), status: "pass", summary: "No sign-in failed for a cause that stops unattended sign-ins in the last 24 hours" },
      { name: "successful sign-ins and an unlisted code", facts: facts({ signIns: ok([signIn({}), signIn({ errorCode: 70043 })]) }), status: "pass" },
      {
        name: "an MFA failure older than the window",
        facts: facts({ signIns: ok([signIn({ errorCode: 50076, createdDateTime: "2026-01-01T11:59:59Z" })]) }),
        status: "pass",
      },
      ...CAUSE_ROWS.map(([code, cause, meaning, over]): Row => {
        const failure = signIn({ errorCode: code, failureReason: "Graph's own words", ...over });
        const resource = failure.resourceDisplayName ? ` → ${escape(failure.resourceDisplayName)}` : "";
        return {
          name: `error ${code} in the window: ${cause}${over ? ` ${JSON.stringify(over)}` : ""}`,
          facts: facts({ signIns: ok([failure]) }),
          status: "fail",
          summary: `1 sign-in failed in the last 24 hours: ${cause}`,
          evidence: new RegExp(`^${escape(cause)}: 2026-01-02T11:00:00Z Contoso Sync${resource}: ${code} ${escape(meaning)}$`),
        };
      }),
      { name: "at the window's start", facts: facts({ signIns: ok([signIn({ errorCode: 53003, createdDateTime: "2026-01-01T12:00:00Z" })]) }), status: "fail" },
      {
        name: "a shorter window",
        facts: facts({ signInLookbackHours: 1, signIns: ok([signIn({ errorCode: 53003, createdDateTime: "2026-01-02T10:30:00Z" })]) }),
        status: "pass",
        summary: /last 1 hour$/,
      },
      {
        name: "unlicensed",
        facts: facts({ signIns: failed("unlicensed", "The tenant needs Entra ID P1 to read sign-in logs") }),
        status: "skipped",
        reason: /P1/,
      },
      { name: "unreadable", facts: facts({ signIns: forbidden("AuditLog.Read.All") }), status: "unknown", reason: /AuditLog\.Read\.All/ },
      { name: "account not found", facts: facts(notFound), status: "skipped" },
    ]),
  )("%s", (_n, row, profile) => expectRow("sign-ins", row, profile));

  it("50125 (PasswordResetRegistrationRequiredInterrupt) tells both fixes: a new password, or the password-reset registration it asks for", () => {
    const r = CHECKS["sign-ins"].run(facts({ signIns: ok([signIn({ errorCode: 50125 })]) }), strict);
    expect(r.remediation).toMatch(/A password change was required: .*new password.*self-service password reset/);
  });

  it("lists the design's five codes first, then the other Conditional Access interruptions", () => {
    expect([...MFA_OR_CA_ERROR_CODES.keys()]).toEqual([50072, 50074, 50076, 50079, 53003, 53000, 53001, 53002, 530032]);
  });

  it("reads every classified code, each once, and classifies each", () => {
    const codes = [...SIGN_IN_FAILURES.keys()];
    expect(new Set(codes).size).toBe(codes.length);
    expect([...new Set(CAUSE_ROWS.map(([code]) => code))].sort()).toEqual([...codes].sort());
  });

  it("groups the evidence by cause and gives each cause seen its fix", () => {
    const r = CHECKS["sign-ins"].run(
      facts({
        signIns: ok([
          signIn({ id: "a", errorCode: 50126, createdDateTime: "2026-01-02T11:30:00Z" }),
          signIn({ id: "b", errorCode: 53003, createdDateTime: "2026-01-02T11:20:00Z" }),
          signIn({ id: "c", errorCode: 50053, createdDateTime: "2026-01-02T11:10:00Z" }),
          signIn({ id: "d", errorCode: 50126, createdDateTime: "2026-01-02T11:00:00Z" }),
        ]),
      }),
      strict,
    );
    expect(r.summary).toBe("4 sign-ins failed in the last 24 hours: Blocked by Conditional Access; Wrong password; The account is locked");
    expect(r.evidence?.map((l) => l.slice(0, l.indexOf(": 2026")))).toEqual([
      "Blocked by Conditional Access",
      "Wrong password",
      "Wrong password",
      "The account is locked",
    ]);
    expect(r.remediation).toContain("4. Blocked by Conditional Access: ");
    expect(r.remediation).toContain("5. Wrong password: The password the service holds");
    expect(r.remediation).toContain("6. The account is locked: Smart lockout");
    expect(r.remediation).not.toContain("MFA was required");
  });
});
