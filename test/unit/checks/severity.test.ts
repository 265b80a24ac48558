/** The severity rule, as a table: a check's severity and a verdict in, one finding's severity out. */
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../../../lib/checks/registry.js";
import { FALLBACK_SEVERITY, orderResults, SEVERITIES, severityOf, severityOfCheck, type Severity, type Verdict } from "../../../lib/checks/severity.js";
import type { CheckStatus } from "../../../lib/model/report.js";

const NOW = { severity: "now" } as const;
const SOON = { severity: "soon" } as const;
const NOTICE = { severity: "notice" } as const;

const TABLE: [string, { severity: Severity } | undefined, Verdict, Severity | null][] = [
  ["a failing check that breaks now", NOW, "fail", "now"],
  ["its warning will break", NOW, "warn", "soon"],
  ["its early warning", NOW, "early-warning", "soon"],
  ["its drift detected", NOW, "drift-detected", "now"],
  ["its reminder", NOW, "reminder", "now"],
  ["its resolution names what was fixed", NOW, "resolved", "now"],
  ["its retirement", NOW, "check-retired", "now"],
  ["a check whose failure is a warning", SOON, "fail", "soon"],
  ["its warning", SOON, "warn", "soon"],
  ["a notice check's failure", NOTICE, "fail", "notice"],
  ["a notice check's warning is never raised to soon", NOTICE, "warn", "notice"],
  ["a security notice, whatever the check", NOW, "security-notice", "notice"],
  ["a security notice without a check", undefined, "security-notice", "notice"],
  ["an unknown check failing gets the fallback", undefined, "fail", FALLBACK_SEVERITY],
  ["an unknown check warning", undefined, "warn", "soon"],
  ["pass is no finding", NOW, "pass", null],
  ["unknown is no finding", NOW, "unknown", null],
  ["skipped is no finding", NOW, "skipped", null],
  ["monitoring degraded is no finding", NOW, "monitoring-degraded", null],
  ["not checked", NOW, "not-checked", null],
  ["monitoring restored", NOW, "monitoring-restored", null],
];

describe("severityOf", () => {
  it.each(TABLE)("%s", (_, meta, verdict, expected) => {
    expect(severityOf(meta, verdict)).toBe(expected);
  });

  it("reads a stored check id through the registry, and falls back for one this version does not have", () => {
    expect(severityOfCheck("what-if", "warn")).toBe("soon");
    expect(severityOfCheck("conditional-access", "fail")).toBe("now");
    expect(severityOfCheck("a-retired-check", "reminder")).toBe(FALLBACK_SEVERITY);
  });

  it("gives every check a known severity", () => {
    for (const c of REGISTRY) expect(SEVERITIES).toContain(c.meta.severity);
  });
});

describe("orderResults", () => {
  const r = (id: string, status: CheckStatus) => ({ id, status });
  it("puts the most severe first, then the lower rank; results with no finding keep their order after them", () => {
    const results = [
      r("account", "pass"),
      r("what-if", "warn"),
      r("sessions-revoked", "warn"),
      r("admin-role", "fail"),
      r("security-defaults", "unknown"),
      r("conditional-access", "fail"),
      r("retired", "fail"),
      r("per-user-mfa", "pass"),
    ];
    expect(orderResults(results).map((x) => x.id)).toEqual([
      "conditional-access", // now, rank 1
      "admin-role", // now, rank 4
      "retired", // now (fallback), ranked after every known check
      "sessions-revoked", // soon, rank 10
      "what-if", // soon, rank 14
      "account",
      "security-defaults",
      "per-user-mfa",
    ]);
  });
});
