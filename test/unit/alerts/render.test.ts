import { describe, expect, it } from "vitest";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { operationIdFor } from "../../../lib/alerts/ids.js";
import { policyLink } from "../../../lib/checks/conditional-access/check.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import { inTenant } from "../../../lib/alerts/render/tenant-links.js";
import {
  alertOf,
  caFinding,
  HOSTILE,
  HOSTILE_INVISIBLE_SHOWN,
  HOSTILE_POLICY,
  HOSTILE_TENANT,
  MIXED,
  NOW,
  SAMPLES,
  securityDefaultsFinding,
} from "./samples.js";

/** Every sample is of one tenant: its portal links open in it. */
const TENANT = HOSTILE.tenantId;

const render = (a = SAMPLES["drift-detected"]!) => renderAlert(a, { now: NOW });

/** Text the browser would show: tags removed, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("subjects", () => {
  it("name the tenant and the worst change", () => {
    expect(render().subject).toBe("[Drift] Contoso — connection account blocked by CA policy 'Require MFA for admins' (+2 more)");
    expect(render(SAMPLES.resolved).subject).toBe("[Resolved] Contoso — CA policy 'Require MFA for admins' no longer blocks the connection account");
    expect(render(SAMPLES.reminder).subject).toMatch(/^\[Reminder\] Contoso — still failing: connection account blocked/);
    expect(render(SAMPLES["monitoring-degraded"]).subject).toMatch(/^\[Monitoring degraded\] Contoso — /);
    expect(render(SAMPLES["monitoring-restored"]).subject).toBe("[Monitoring restored] Contoso — checks work again");
    expect(render(SAMPLES["security-notice"]).subject).toBe("[Security notice] Contoso — MFA methods of the connection account changed");
  });

  it("put drift before good news whatever the order, and stay on one line", () => {
    const a = alertOf("x1", [
      { kind: "resolved", key: "r", finding: securityDefaultsFinding, resolvedAt: NOW.toISOString() },
      { kind: "drift-detected", key: "d", finding: caFinding("Block\r\nBcc: evil@example.com") },
    ]);
    const s = render(a).subject;
    expect(s.startsWith("[Drift] Contoso — connection account blocked by CA policy 'Block Bcc: evil@example.com'")).toBe(true);
    expect(s).not.toMatch(/[\r\n]/);
  });
});

describe("content", () => {
  it("says what changed, since when, the evidence and the steps, with a link to the policy", () => {
    const r = render();
    for (const part of [r.text, visibleText(r.html)]) {
      expect(part).toContain("Require MFA for admins");
      expect(part).toContain(caFinding().subject);
      expect(part).toContain("included via role Global Administrator");
      expect(part).toContain("Users → Exclude → Users and groups → select svc-connect@contoso.com");
      expect(part).toContain(`Entra admin center (https://entra.microsoft.com/${TENANT}/) → Identity → Overview → Properties → Manage security defaults`);
      expect(part).toContain(
        `Microsoft 365 admin center (https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=${TENANT}&CSDEST=o365admincenter) → Users`,
      );
      expect(part).toContain("Failing since");
      expect(part).toContain("2026-03-04 06:30 UTC");
      expect(part).toContain("isEnabled true");
    }
    expect(r.html).toContain(`href="${inTenant(policyLink(caFinding().subject), TENANT).replace(/&/g, "&amp;")}"`);
    expect(r.text).toContain(inTenant(policyLink(caFinding().subject), TENANT));
  });

  it("says resolved, degraded, restored and security notices plainly", () => {
    expect(render(SAMPLES.resolved).text).toContain(
      'The Conditional Access policy "Require MFA for admins" no longer blocks the connection account. Nothing more to do.',
    );
    expect(render(SAMPLES["monitoring-degraded"]).text).toContain("could not verify this tenant in 3 consecutive checks");
    expect(render(SAMPLES["monitoring-degraded"]).text).toContain("needs Policy.Read.All");
    expect(render(SAMPLES["monitoring-restored"]).text).toContain("can verify this tenant again");
    const notice = render(SAMPLES["security-notice"]).text;
    expect(notice).toContain("Microsoft Authenticator (iPhone 15)");
    expect(notice).toContain("revoke its sessions");
    expect(render(SAMPLES.reminder).text).toContain("passed and failed again 2 times");
  });

  it("says when a finding broke again after people were told it was fixed", () => {
    const again = alertOf("again", [{ kind: "drift-detected", key: "k", finding: caFinding(), previouslyResolvedAt: "2026-03-04T05:00:00.000Z" }]);
    const r = render(again);
    expect(r.text).toContain("Broke again after it was reported fixed (2026-03-04 05:00 UTC)");
    expect(visibleText(r.html)).toContain("Broke again after it was reported fixed (2026-03-04 05:00 UTC)");
    expect(render().text).not.toContain("Broke again");
  });

  it("has a table layout for Outlook: presentation tables, inline styles, no classes, 600px column", () => {
    const html = render().html;
    expect(html).toContain('role="presentation"');
    expect(html).toContain("max-width:600px");
    expect(html).toContain('<!--[if mso]><table role="presentation" width="600"');
    expect(html).not.toMatch(/\sclass=/);
    expect(html).not.toMatch(/<style|<script|<link/i);
    expect(html).toContain('name="viewport"');
  });

  it("derives the operation id and Message-ID from the row id", () => {
    const r = render();
    expect(r.operationId).toBe(operationIdFor(SAMPLES["drift-detected"]!.id));
    expect(r.operationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.messageId).toBe(`<alert.${SAMPLES["drift-detected"]!.id}@drift-monitor.local>`);
    expect(operationIdFor("a")).not.toBe(operationIdFor("b"));
  });

  it("gives each requeue generation its own operation id; generation 0 is the row id alone", () => {
    const ids = [0, 1, 2].map((g) => operationIdFor("abc123", g));
    expect(ids[0]).toBe(operationIdFor("abc123"));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(() => operationIdFor("abc123", -1)).toThrow(/whole number/);
  });

  it("is deterministic", () => {
    expect(render().html).toBe(render().html);
    expect(render().text).toBe(render().text);
  });
});

describe("escaping of tenant values", () => {
  const r = renderAlert(HOSTILE, { now: NOW });

  it("never lets a policy or tenant name become markup in HTML", () => {
    expect(r.html).not.toContain("<img");
    expect(r.html).not.toContain("onerror=alert(1)>");
    expect(r.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(r.html).toContain("Contoso &amp; &quot;Partners&quot; — Ünïcødé 株式会社");
    // The policy id ends up in an href too: encoded in the URL, then attribute-escaped.
    expect(r.html).toContain(`href="${inTenant(policyLink("pol'\"<id>"), TENANT).replace(/&/g, "&amp;").replace(/'/g, "&#39;")}"`);
    for (const m of r.html.matchAll(/href="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>'"]/);
  });

  it("shows the same values intact once the HTML is read", () => {
    const seen = visibleText(r.html);
    expect(seen).toContain(HOSTILE_POLICY);
    expect(seen).toContain(HOSTILE_TENANT);
    expect(seen).toContain("o'brien+svc@ünïcødé.example");
  });

  it("keeps the plain-text part free of HTML and the values as typed", () => {
    expect(r.text).toContain(HOSTILE_POLICY);
    expect(r.text).toContain(HOSTILE_TENANT);
    expect(r.text).not.toMatch(/&(amp|lt|gt|quot|#39);/);
    expect(r.text).not.toMatch(/<(table|td|p|a|br|div|span)\b/i);
    // Cut at 240 characters, then the count.
    expect(r.subject).toMatch(/^\[Drift\] .{220,} \(\+1 more\)$/);
    expect(
      r.subject.startsWith(`[Drift] ${HOSTILE_TENANT}${HOSTILE_INVISIBLE_SHOWN} — connection account blocked by CA policy '${HOSTILE_POLICY} <U+202E>`),
    ).toBe(true);
  });
});

describe("bidi, invisible and control characters in tenant values", () => {
  const r = renderAlert(HOSTILE, { now: NOW });
  // Anything a reader cannot see, or that reorders or rewrites what is shown; tab and line breaks are our own layout.
  const HIDDEN = /(?![\t\n\r])[\p{Cc}\p{Cf}\u2028\u2029]/u;
  const parts: [string, string, string][] = [
    ["subject", r.subject, HOSTILE_INVISIBLE_SHOWN],
    ["text part", r.text, HOSTILE_INVISIBLE_SHOWN],
    ["HTML part", r.html, HOSTILE_INVISIBLE_SHOWN.replace(/</g, "&lt;").replace(/>/g, "&gt;")],
    ["Slack payload", JSON.stringify(slackPayload(r.document)), HOSTILE_INVISIBLE_SHOWN.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\\/g, "\\\\")],
    ["Teams payload", JSON.stringify(teamsPayload(r.document)), HOSTILE_INVISIBLE_SHOWN.replace(/[\\<>+.\]]/g, (c) => `\\${c}`).replace(/\\/g, "\\\\")],
  ];

  it.each(parts)("%s: none reaches the output raw, each is shown as a visible escape", (_name, output, shown) => {
    expect(output).not.toMatch(HIDDEN);
    expect(output).toContain(shown);
  });

  it("the account (a left-to-right mark at its end) is marked too", () => {
    expect(r.text).toContain("o'brien+svc@ünïcødé.example<U+200E>");
    expect(visibleText(r.html)).toContain("o'brien+svc@ünïcødé.example<U+200E>");
  });
});

describe("a URL in a tenant's text", () => {
  // A tenant can name a policy with a Microsoft URL that opens its own directory, or anything else.
  const HOSTILE_URL = "https://portal.azure.com/#@attacker.onmicrosoft.com/resource/x";
  const alert = alertOf("1f2e3d4c5b6a79880716253443526170", [
    { kind: "drift-detected", key: "d|ca", finding: caFinding(HOSTILE_URL) },
    {
      kind: "drift-detected",
      key: "d|account",
      finding: { ...securityDefaultsFinding, remediation: `Open "${HOSTILE_URL}" and sign in.\nSee https://evil.example/x` },
    },
  ]);
  const r = renderAlert(alert, { now: NOW });

  it("is never a link in the email: only the URLs the checks built go into href", () => {
    expect(visibleText(r.html)).toContain(HOSTILE_URL);
    const hrefs = [...r.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => /attacker|evil/.test(h))).toEqual([]);
  });

  it("is never a link in Teams: no card action to it, and no Markdown link or autolink syntax around it", () => {
    const payload = JSON.stringify(teamsPayload(r.document));
    const card = teamsPayload(r.document) as { attachments: { content: { actions: { url: string }[] } }[] };
    expect(card.attachments[0]!.content.actions.map((a) => a.url).filter((u) => /attacker|evil/.test(u))).toEqual([]);
    expect(payload).not.toMatch(/\]\(https?:|<https?:/);
  });

  it("is never a link in Slack: no <url|…> to it, and Slack is told not to turn bare URLs into links", () => {
    const payload = slackPayload(r.document);
    const json = JSON.stringify(payload);
    expect(json).not.toMatch(/<https:\/\/(portal\.azure\.com\/#@attacker|evil)/);
    const mrkdwn = [...json.matchAll(/\{"type":"mrkdwn"[^{}]*\}/g)].map((m) => JSON.parse(m[0]) as { verbatim?: boolean });
    expect(mrkdwn.length).toBeGreaterThan(0);
    expect(mrkdwn.filter((t) => t.verbatim !== true)).toEqual([]);
  });
});

describe("a re-alert after an acknowledgement", () => {
  it("says whose acknowledgement no longer holds, and why", () => {
    const reminder = { kind: "reminder" as const, key: "reminder|sd|1", finding: securityDefaultsFinding, lastAlertedAt: "2026-03-03T06:00:00.000Z", flaps: 0 };
    const acknowledgement = 'acknowledged by ann@msp.example ("customer call"), which expired at 2026-03-04T00:00:00.000Z';
    const r = renderAlert(alertOf("3a1b2c3d4e5f60718293a4b5c6d7e8f9", [{ ...reminder, acknowledgement }]), { now: NOW });
    expect(r.text).toContain(`It was ${acknowledgement}.`);
    expect(renderAlert(alertOf("3a1b2c3d4e5f60718293a4b5c6d7e8f9", [reminder]), { now: NOW }).text).not.toContain("acknowledged by");
  });
});

describe("an alert holding a finding's change among mailed changes", () => {
  it("mails the mailed changes alone: no Changed block, and the subject and intro count only them", () => {
    const r = render(MIXED);
    expect(r.subject).toBe("[Drift] Contoso — connection account blocked by CA policy 'Require MFA for admins' (+1 more)");
    expect(r.document.blocks.map((b) => b.title)).toEqual(["Drift detected — Conditional Access", "Drift detected — Security Defaults"]);
    for (const part of [r.text, visibleText(r.html), JSON.stringify(slackPayload(r.document)), JSON.stringify(teamsPayload(r.document))]) {
      expect(part).toContain("2 changes in tenant Contoso");
      expect(part).not.toContain("Changed");
    }
  });
});
