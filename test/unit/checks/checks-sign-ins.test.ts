/** Every status of the sign-ins check, under both profiles where they differ. */
import { describe, expect, it } from "vitest";
import { MFA_OR_CA_ERROR_CODES } from "../../../lib/checks/index.js";
import type { SignInFact } from "../../../lib/model/index.js";
import { facts, failed, ok } from "./builders.js";
import type { Row } from "./checks-helpers.js";
import { both, expectRow, forbidden, notFound } from "./checks-helpers.js";

const signIn = (over: Partial<SignInFact>): SignInFact => ({
  id: "si-1",
  createdDateTime: "2026-01-02T11:00:00Z",
  appDisplayName: "Contoso Sync",
  appId: "app-1",
  resourceDisplayName: "Microsoft Graph",
  ipAddress: "203.0.113.7",
  errorCode: 0,
  failureReason: null,
  conditionalAccessStatus: "notApplied",
  isInteractive: false,
  ...over,
});

describe("sign-ins (R7)", () => {
  it.each(
    both([
      { name: "no sign-ins", facts: facts(), status: "pass", summary: "No sign-in interrupted by MFA or Conditional Access in the last 24 hours" },
      { name: "successful and wrong-password sign-ins", facts: facts({ signIns: ok([signIn({}), signIn({ errorCode: 50126 })]) }), status: "pass" },
      {
        name: "an MFA failure older than the window",
        facts: facts({ signIns: ok([signIn({ errorCode: 50076, createdDateTime: "2026-01-01T11:59:59Z" })]) }),
        status: "pass",
      },
      ...(
        [
          [50072, "user must enroll for MFA"],
          [50074, "strong authentication (MFA) required"],
          [50076, "MFA required by policy or location"],
          [50079, "user must register for MFA"],
          [53003, "blocked by Conditional Access"],
          [53000, "device not compliant (Conditional Access)"],
          [53001, "device not domain-joined (Conditional Access)"],
          [53002, "app not approved (Conditional Access)"],
          [530032, "blocked by a tenant security policy (Conditional Access)"],
        ] as const
      ).map(([code, meaning]): Row => ({
        name: `error ${code} in the window`,
        facts: facts({ signIns: ok([signIn({ errorCode: code, failureReason: "Graph's own words" })]) }),
        status: "fail",
        summary: "1 sign-in was interrupted by MFA or Conditional Access in the last 24 hours",
        evidence: new RegExp(`^2026-01-02T11:00:00Z Contoso Sync → Microsoft Graph: ${code} ${meaning.replace(/[()]/g, "\\$&")}$`),
      })),
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

  it("lists the design's five codes first, then the other Conditional Access interruptions", () => {
    expect([...MFA_OR_CA_ERROR_CODES.keys()]).toEqual([50072, 50074, 50076, 50079, 53003, 53000, 53001, 53002, 530032]);
  });
});
