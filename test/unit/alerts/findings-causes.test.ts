/** A failed-sign-ins finding in an email: one line per cause (how many, and the fix), in the evidence's order. */
import { describe, expect, it } from "vitest";
import { findingFacts } from "../../../lib/alerts/render/findings.js";
import type { FindingRef } from "../../../lib/model/state.js";

const finding = (checkId: FindingRef["checkId"], evidence: string[]): FindingRef => ({
  key: `${checkId}|`,
  checkId,
  subject: "",
  subjectName: null,
  summary: "3 sign-ins failed in the last 24 hours",
  reason: "Codes seen: 50126, 50053.",
  remediation: null,
  evidence,
  since: "2026-03-04T06:00:00.000Z",
});

describe("findingFacts: sign-in failures grouped by cause", () => {
  it("lists each cause once, with its count and fix", () => {
    const facts = findingFacts(
      finding("sign-ins", [
        "Wrong password: 2026-03-04T05:30:00Z Sync → Microsoft Graph: 50126 invalid username or password",
        "Wrong password: 2026-03-04T05:25:00Z Sync → Microsoft Graph: 50126 invalid username or password",
        "The account is locked: 2026-03-04T05:20:00Z Sync → Microsoft Graph: 50053 account locked",
      ]),
    );
    expect(facts.map((f) => f.label)).toEqual(["Check", "Why", "Wrong password", "The account is locked"]);
    expect(facts[2]?.value).toMatch(/^2 failed sign-ins\. Fix: The password the service holds/);
    expect(facts[3]?.value).toMatch(/^1 failed sign-in\. Fix: Smart lockout/);
  });

  it("adds nothing for another check, or for evidence without a cause", () => {
    expect(findingFacts(finding("per-user-mfa", ["Wrong password: not a sign-in"])).map((f) => f.label)).toEqual(["Check", "Why"]);
    expect(findingFacts(finding("sign-ins", ["2026-03-04T05:30:00Z Sync: 50076"])).map((f) => f.label)).toEqual(["Check", "Why"]);
  });
});
