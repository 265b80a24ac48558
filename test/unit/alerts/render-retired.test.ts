/**
 * A finding whose check this version no longer has: its closing message, and every message that
 * names such a check, render from the raw id (the registry has no name, rank or links for it).
 */
import { describe, expect, it } from "vitest";
import { findingRank } from "../../../lib/alerts/render/findings.js";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import { renderRollup } from "../../../lib/alerts/rollup/render.js";
import type { FindingRef, OutboxAlert } from "../../../lib/model/state.js";
import { alertOf, NOW, SAMPLES, securityDefaultsFinding } from "./samples.js";

const HOSTILE_ID = "<img src=x onerror=alert(1)>" as FindingRef["checkId"];
const retiredFinding: FindingRef = { ...securityDefaultsFinding, key: `${HOSTILE_ID}|`, checkId: HOSTILE_ID, summary: "Old <b>rule</b> & more" };
const retired = alertOf("9a1b2c3d4e5f60718293a4b5c6d7e8f9", [
  { kind: "check-retired", key: `check-retired|${HOSTILE_ID}|`, finding: retiredFinding, reason: "check retired in this version" },
]);

/** The card without its `summary`: that is the notification's plain text, never rendered as markup. */
function teamsCard(a: OutboxAlert): unknown {
  const { summary: _plain, ...card } = teamsPayload(renderAlert(a, { now: NOW }).document) as Record<string, unknown>;
  return card;
}

describe("check retired", () => {
  it("says the finding is closed and why, naming the check by its id", () => {
    const r = renderAlert(SAMPLES["check-retired"]!, { now: NOW });
    expect(r.subject).toBe("[Check retired] Contoso — legacy-mfa-state: finding closed, check retired in this version");
    expect(r.document.blocks[0]?.title).toBe("Check retired — legacy-mfa-state");
    expect(r.text).toContain("This finding is closed: check retired in this version. It was failing when last checked (Legacy MFA state is enforced).");
  });

  it.each<[string, (a: OutboxAlert) => string]>([
    ["the email's HTML", (a) => renderAlert(a, { now: NOW }).html],
    ["the Teams card", (a) => JSON.stringify(teamsCard(a))],
    ["the Slack message", (a) => JSON.stringify(slackPayload(renderAlert(a, { now: NOW }).document))],
    ["the roll-up", (a) => renderRollup({ id: "r1", createdAt: NOW.toISOString(), alerts: [a] }).html],
  ])("an unknown, hostile check id is escaped in %s", (_name, render) => {
    const out = render(retired);
    // Markup is entity-escaped (HTML) or backslash-escaped (Markdown in the Teams card), never left as is.
    expect(out).toContain("img src=x");
    expect(out).not.toMatch(/(?<!\\)<img/);
    expect(out).not.toMatch(/(?<!\\)<b>rule/);
  });

  it("the email's text keeps the id as it is", () => {
    expect(renderAlert(retired, { now: NOW }).text).toMatch(new RegExp(`Check: +${HOSTILE_ID.replace(/[()]/g, "\\$&")}`));
  });
});

describe("a check this version does not have, in any message", () => {
  const unknown: FindingRef = { ...securityDefaultsFinding, key: "gone|", checkId: "gone" as FindingRef["checkId"], remediation: null };
  it.each([
    ["drift detected", alertOf("a1", [{ kind: "drift-detected", key: "d", finding: unknown }])],
    ["reminder", alertOf("a2", [{ kind: "reminder", key: "r", finding: unknown, lastAlertedAt: NOW.toISOString(), flaps: 0 }])],
    ["resolved", alertOf("a3", [{ kind: "resolved", key: "s", finding: unknown, resolvedAt: NOW.toISOString() }])],
    ["early warning", alertOf("a4", [{ kind: "early-warning", key: "e", finding: unknown }])],
  ])("%s renders with the raw id, no links and no steps of its own", (_name, alert) => {
    const doc = renderAlert(alert, { now: NOW }).document;
    const block = doc.blocks[0];
    expect(block?.title).toMatch(/ — gone$/);
    expect(block?.facts).toContainEqual({ label: "Check", value: "gone (a check this version no longer has)" });
    expect(block?.links).toEqual([]);
  });

  it("ranks last in the subject, after any check this version has", () => {
    const known = alertOf("a5", [
      { kind: "drift-detected", key: "d1", finding: unknown },
      { kind: "drift-detected", key: "d2", finding: securityDefaultsFinding },
    ]);
    expect(findingRank(unknown)).toBeGreaterThan(findingRank(securityDefaultsFinding));
    expect(renderAlert(known, { now: NOW }).subject).toContain("Security Defaults are enabled");
  });
});
