/**
 * The human view of a report: a short table of checks, then what to do about each problem.
 * Policy names, UPNs and everything else read from the tenant are hostile: every value is shown
 * on one line with controls, bidi and invisible characters as visible escapes (lib/text/safe.ts),
 * so a policy name cannot set the window title, move the cursor or print a forged status line.
 * A remediation keeps its line breaks (our own steps, one a line) but not those of the names in it.
 */
import type { CaFinding, CheckResult, Report } from "../../lib/model/index.js";
import { orderResults, SEVERITY_LABEL, severityOfCheck } from "../../lib/checks/severity.js";
import { missingFactLines } from "../../lib/text/missing-facts.js";
import { safeLines, safeStrings, safeText } from "../../lib/text/safe.js";

const MARK: Record<CheckResult["status"], string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  unknown: "UNKNOWN",
  skipped: "SKIPPED",
};

const STATUS_LINE: Record<Report["status"], string> = {
  compliant: "COMPLIANT: the connection account is in the required state",
  drifted: "DRIFTED: the connection account is not in the required state",
  unknown: "UNKNOWN: some checks could not be verified",
};

// Findings a person needs to see; the passing ones are counted, not listed.
const NOTEWORTHY = new Set<CaFinding["effect"]>(["blocking", "conditional", "report-only", "session-only", "unknown"]);

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function findingLine(f: CaFinding): string {
  const extra = [
    f.controls && f.controls.length > 0 ? `controls: ${f.controls.join(", ")}` : "",
    f.conditions && f.conditions.length > 0 ? `only when: ${f.conditions.join(", ")}` : "",
    f.missingFacts && f.missingFacts.length > 0 ? `rests on: ${f.missingFacts.join(", ")}` : "",
  ].filter((s) => s !== "");
  return `- [${f.effect}] ${f.policyName} (${f.policyId}): ${f.reason}${extra.length > 0 ? `; ${extra.join("; ")}` : ""}`;
}

/**
 * A remediation is our own steps, one a line, naming the report's values (policy names, the UPN):
 * each of those is escaped whole first (a line break in a policy name shows as `\n`), so the only
 * line breaks left are ours.
 */
function safeRemediation(text: string, names: readonly string[]): string {
  const hostile = names.filter((n) => n !== "" && safeText(n) !== n).sort((a, b) => b.length - a.length);
  return safeLines(hostile.reduce((out, n) => out.split(n).join(safeText(n)), text));
}

export function formatReportText(raw: Report): string {
  const names = [raw.account.userPrincipalName ?? "", ...raw.checks.flatMap((c) => (c.findings ?? []).map((f) => f.policyName))];
  const report: Report = {
    ...safeStrings(raw),
    // Most severe first, then by rank; checks with nothing to report keep the registry's order after them.
    checks: orderResults(raw.checks).map((c) => ({
      ...safeStrings(c),
      ...(c.remediation === undefined ? {} : { remediation: safeRemediation(c.remediation, names) }),
    })),
  };
  const lines: string[] = [];
  const who = report.account.userPrincipalName ?? report.account.id ?? "(account not found)";
  lines.push(`Tenant   ${report.tenantId}`);
  lines.push(`Account  ${who}${report.account.id && report.account.userPrincipalName ? ` (${report.account.id})` : ""}`);
  lines.push(`Profile  ${report.profile}    Checked ${report.checkedAt}`);
  lines.push("");
  const idWidth = Math.max(5, ...report.checks.map((c) => c.id.length)) + 2;
  const severity = (c: CheckResult): string => {
    const s = severityOfCheck(c.id, c.status);
    return s === null ? "" : SEVERITY_LABEL[s];
  };
  lines.push(`${pad("CHECK", idWidth)}${pad("STATUS", 9)}${pad("SEVERITY", 17)}SUMMARY`);
  for (const c of report.checks) lines.push(`${pad(c.id, idWidth)}${pad(MARK[c.status], 9)}${pad(severity(c), 17)}${c.summary}`);
  lines.push("");
  lines.push(`${STATUS_LINE[report.status]}${report.warnings > 0 ? ` (${report.warnings} warning${report.warnings === 1 ? "" : "s"})` : ""}`);

  const problems = report.checks.filter((c) => c.status === "fail" || c.status === "warn");
  // Unknown checks usually share one cause (consent revoked, a permission missing): say it once.
  const unknownByReason = new Map<string, string[]>();
  for (const c of report.checks.filter((x) => x.status === "unknown")) {
    const key = c.reason ?? c.summary;
    unknownByReason.set(key, [...(unknownByReason.get(key) ?? []), c.id]);
  }
  for (const [reason, ids] of unknownByReason) {
    lines.push("");
    lines.push(`UNKNOWN ${ids.join(", ")}: could not verify`);
    lines.push(indent(`Why: ${reason}`, "  "));
    const missing = report.checks.filter((c) => ids.includes(c.id)).flatMap((c) => missingFactLines(c.missingFacts));
    if (missing.length > 0) lines.push(indent(missing.map((m) => `- ${m}`).join("\n"), "  "));
  }
  for (const c of problems) {
    lines.push("");
    lines.push(`${MARK[c.status]} ${c.id} (${severity(c)}): ${c.summary}`);
    if (c.reason) lines.push(indent(`Why: ${c.reason}`, "  "));
    const findings = (c.findings ?? []).filter((f) => NOTEWORTHY.has(f.effect));
    if (findings.length > 0) lines.push(indent(findings.map(findingLine).join("\n"), "  "));
    if (c.evidence && c.evidence.length > 0) lines.push(indent(c.evidence.map((e) => `- ${e}`).join("\n"), "  "));
    const missing = missingFactLines(c.missingFacts);
    if (missing.length > 0) lines.push(indent(missing.map((m) => `- ${m}`).join("\n"), "  "));
    if (c.remediation) lines.push(indent(`Fix: ${c.remediation}`, "  "));
  }
  return lines.join("\n") + "\n";
}
