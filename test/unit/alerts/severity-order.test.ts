/** An alert's blocks are ordered worst first (kind, then severity, then the check's rank), and each finding says its severity in words. */
import { describe, expect, it } from "vitest";
import { alertDocument } from "../../../lib/alerts/render/alert.js";
import type { FindingRef, Transition } from "../../../lib/model/state.js";
import { alertOf, caFinding, NOW, securityDefaultsFinding } from "./samples.js";

const warning = (checkId: string): FindingRef => ({ ...securityDefaultsFinding, key: `${checkId}|`, checkId, summary: `${checkId} warns` });
const notice: Transition = { kind: "security-notice", key: "security-notice|a>b", added: [], removed: [], methods: [] };

describe("an alert's order and severity", () => {
  it("puts the more severe first within a kind, then the lower rank", () => {
    const alert = alertOf("a1", [
      { kind: "resolved", key: "r", finding: warning("account"), resolvedAt: NOW.toISOString() },
      notice,
      { kind: "early-warning", key: "e1", finding: warning("what-if") },
      { kind: "drift-detected", key: "d1", finding: securityDefaultsFinding },
      { kind: "early-warning", key: "e2", finding: warning("sessions-revoked") },
      { kind: "drift-detected", key: "d2", finding: caFinding() },
    ]);
    const doc = alertDocument(alert, { now: NOW });
    expect(doc.blocks.map((b) => [b.title, b.facts.find((f) => f.label === "Severity")?.value ?? null])).toEqual([
      ["Drift detected — Conditional Access", "Breaks now"],
      ["Drift detected — Security Defaults", "Breaks now"],
      ["Early warning — Sessions revoked", "Breaks soon"],
      ["Early warning — What If cross-check", "Breaks soon"],
      ["Security notice — the account's MFA methods changed", "Security notice"],
      ["Resolved — Connection account", null],
    ]);
    expect(doc.subject).toMatch(/^\[Drift\] Contoso — connection account blocked by CA policy/);
  });

  it("an early warning (soon) ranks before a security notice of the same kind rank", () => {
    const doc = alertDocument(alertOf("a2", [notice, { kind: "early-warning", key: "e", finding: warning("user-risk") }]), { now: NOW });
    expect(doc.subject).toMatch(/^\[Early warning\]/);
  });
});
