/** `drift-monitor check`'s text: checks most severe first with their severity, then the others in registry order. */
import { describe, expect, it } from "vitest";
import { formatReportText } from "../../../cli/report/format-text.js";
import type { Report } from "../../../lib/model/index.js";

const report: Report = {
  schemaVersion: 1,
  tenantId: "t1",
  checkedAt: "2026-03-04T06:30:00.000Z",
  profile: "strict",
  account: { id: "a1", userPrincipalName: "svc@contoso.com" },
  status: "drifted",
  warnings: 1,
  checks: [
    { id: "account", status: "pass", summary: "Enabled" },
    { id: "admin-role", status: "fail", summary: "No role" },
    { id: "security-defaults", status: "unknown", summary: "Could not read" },
    { id: "sessions-revoked", status: "warn", summary: "Revoked" },
    { id: "conditional-access", status: "fail", summary: "Blocked" },
  ],
};

describe("the report's severity", () => {
  it("orders the table and the problems most severe first, then by rank, and names each severity", () => {
    const text = formatReportText(report);
    const rows = text.split("\n").filter((l) => /^(account|admin-role|security-defaults|sessions-revoked|conditional-access)\s/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["conditional-access", "FAIL", "Breaks now"],
      ["admin-role", "FAIL", "Breaks now"],
      ["sessions-revoked", "WARN", "Breaks soon"],
      ["account", "PASS", "Enabled"],
      ["security-defaults", "UNKNOWN", "Could not read"],
    ]);
    expect(text.match(/^(FAIL|WARN) .*$/gm)).toEqual([
      "FAIL conditional-access (Breaks now): Blocked",
      "FAIL admin-role (Breaks now): No role",
      "WARN sessions-revoked (Breaks soon): Revoked",
    ]);
  });
});
