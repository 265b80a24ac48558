/** The estate and tenant pages as HTML (lib/dashboard): links keep the filters, values are escaped, the report has no form. Pure. */
import { describe, expect, it } from "vitest";
import { estateHtml } from "../../../lib/dashboard/estate-page.js";
import { tenantHtml } from "../../../lib/dashboard/tenant-page.js";
import { estatePage, estateQuerySchema, type EstateRow } from "../../../lib/status/estate-query.js";
import type { TenantView } from "../../../lib/dashboard/tenant-page.js";
import { checkSection } from "../../../lib/dashboard/checks-section.js";
import { policyLink } from "../../../lib/checks/conditional-access/check.js";
import type { CheckResult } from "../../../lib/model/report.js";
import { registeredTenantSchema } from "../../../lib/model/tenant.js";
import type { TenantState } from "../../../lib/model/state.js";
import { minimalState, openFinding } from "../../support/state.js";

const rows: EstateRow[] = Array.from({ length: 120 }, (_, i) => ({
  tenantId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  displayName: i === 0 ? `<b>Evil & "Co"</b>` : `Tenant ${String(i).padStart(3, "0")}`,
  domain: `t${i}.example.com`,
  profiles: ["strict"],
  accounts: [{ key: "", ref: `svc@t${i}.example.com`, kind: "connection" as const, status: i < 3 ? ("drifted" as const) : ("compliant" as const) }],
  enabled: i !== 5,
  status: i < 3 ? "drifted" : "compliant",
  lateSince: null,
  warnings: 0,
  failingChecks: i < 3 ? ["conditional-access"] : [],
  attentionChecks: i < 3 ? ["conditional-access"] : [],
  openFindings: i < 3 ? 1 : 0,
  since: null,
  lastChecked: null,
  deadLettered: 0,
}));

function estate(q: Record<string, string>): string {
  const query = estateQuerySchema.parse(q);
  return estateHtml({
    base: "/api/dashboard",
    query,
    page: estatePage(rows, query),
    readAt: "2026-03-02T08:00:00.000Z",
    chart: [],
    nextRun: null,
    deadLettered: 2,
    unreadableRows: 0,
  });
}

describe("estate page", () => {
  it("escapes names, keeps the filters in the pager's links, and says how many match", () => {
    const page = estate({ q: "e&x", size: "25" });
    expect(page).not.toContain("<b>Evil");
    expect(page).toContain('value="e&amp;x"');
    const all = estate({ size: "25", status: "compliant" });
    expect(all).toContain('href="/api/dashboard/?status=compliant&amp;size=25&amp;page=2"');
    expect(all).toContain("Page 1 of 5 · 117 tenants");
    expect(estate({})).toContain("&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt;");
    expect(estate({})).toContain("2 alerts dead-lettered");
  });
});

const view: TenantView = {
  base: "/api/dashboard",
  tenantId: "00000000-0000-4000-8000-000000000001",
  tenant: registeredTenantSchema.parse({
    tenantId: "00000000-0000-4000-8000-000000000001",
    displayName: "<script>x</script>",
    account: "svc@a.example.com",
    accountObjectId: null,
    recipients: [],
    profile: "strict",
    enabled: true,
  }),
  accounts: [
    {
      account: { key: "", ref: "svc@a.example.com", kind: "connection", profile: "strict", objectId: null },
      state: undefined,
      unreadableState: null,
      snapshots: [],
      diff: null,
      timeline: [],
      pending: [],
      deadLettered: [
        { alertId: "a1", createdAt: "2026-03-01T00:00:00.000Z", deadLetteredAt: null, attempts: 8, lastError: "<i>boom</i>", kinds: ["drift-detected"] },
      ],
    },
  ],
  checkInFlightUntil: null,
  csrfToken: "tok",
  flash: null,
};

/** The view with its first account's state replaced. */
const withState = (v: TenantView, state: TenantState): TenantView => ({ ...v, accounts: v.accounts.map((a, i) => (i === 0 ? { ...a, state } : a)) });

describe("tenant page", () => {
  it("has check now and requeue forms carrying the token; escapes the name and the error", () => {
    const page = tenantHtml(view);
    expect(page).toContain("<h1>&lt;script&gt;x&lt;/script&gt;</h1>");
    expect(page).toContain("&lt;i&gt;boom&lt;/i&gt;");
    expect(page.match(/name="csrf" value="tok"/g)).toHaveLength(2);
    expect(page).toContain('action="/api/dashboard/tenants/00000000-0000-4000-8000-000000000001/check"');
  });

  it("says how many acknowledgement/exception rows its checks leave out, and which (none: nothing said)", () => {
    expect(tenantHtml(view)).not.toContain("unreadable acknowledgement");
    const page = tenantHtml({ ...view, unreadableStandings: [`${view.tenantId}/ack|security-defaults%7C`, "~estate/exception|<b>x</b>"] });
    expect(page).toContain('data-unreadable-standings="2"');
    expect(page).toContain("2 unreadable acknowledgement/exception rows");
    expect(page).toContain("~estate/exception|&lt;b&gt;x&lt;/b&gt;");
    expect(tenantHtml({ ...view, unreadableStandings: ["t/ack|a"] })).toContain("1 unreadable acknowledgement/exception row:");
  });

  it("lists the checks most severe first, each finding's severity in words", () => {
    const state = minimalState(view.tenantId);
    const checks: CheckResult[] = [
      { id: "account", status: "pass", summary: "ok" },
      { id: "what-if", status: "warn", summary: "disagree" },
      { id: "admin-role", status: "fail", summary: "no role" },
      { id: "security-defaults", status: "pass", summary: "off" },
    ];
    const page = tenantHtml(withState(view, { ...state, lastReport: { ...state.lastReport, checks } }));
    expect([...page.matchAll(/data-check="([^"]+)"/g)].map((m) => m[1])).toEqual(["admin-role", "what-if", "account", "security-defaults"]);
    expect(page).toMatch(/data-check="admin-role"[\s\S]*?<span class="severity severity-now" title="[^"]+">Breaks now<\/span>/);
    expect(page).toMatch(/data-check="what-if"[\s\S]*?<span class="severity severity-soon" title="[^"]+">Breaks soon<\/span>/);
    expect(page.match(/class="severity /g)).toHaveLength(2);
  });

  it("shows acknowledged and excepted findings with who, why and until when, escaped", () => {
    const state = minimalState(view.tenantId);
    const acked = { ...openFinding("security-defaults", "enabled"), state: "acknowledged" as const };
    const standing = { kind: "acknowledged" as const, by: "<b>ann</b>", at: "2026-01-01T00:00:00.000Z", until: "2026-01-08T00:00:00.000Z", reason: "on it" };
    const excepted = { ...openFinding("per-user-mfa", "enforced"), status: "resolved" as const, lastHeard: "resolved" as const, state: "excepted" as const };
    const exception = { kind: "excepted" as const, exceptionId: "check:per-user-mfa", scope: view.tenantId, until: "2026-09-01T00:00:00.000Z" };
    const findings = [
      { ...acked, standing },
      { ...excepted, standing: { ...exception, reason: "workload identity", owner: "Bob", reference: "CHG-1" } },
    ];
    const page = tenantHtml(withState(view, { ...state, findings }));
    expect(page).toContain("acknowledged by &lt;b&gt;ann&lt;/b&gt; until 2026-01-08 00:00 UTC: on it");
    expect(page).toContain("excepted until 2026-09-01, workload identity, owner Bob (CHG-1)");
  });

  it("as the standalone report: no form, no script, no link back to the estate", () => {
    const page = tenantHtml({ ...view, csrfToken: null, standalone: true });
    expect(page).not.toMatch(/<form|<script|name="csrf"|← Estate/);
    expect(page).toContain("<style>");
  });
});

describe("how-to-fix steps", () => {
  // The CA check's steps quote each policy's name, which the tenant chose.
  const result = (policyName: string): CheckResult => ({
    id: "conditional-access",
    status: "fail",
    summary: "1 policy blocks the account",
    reason: `"${policyName}": included via role Global Administrator`,
    remediation: [
      "Exclude the connection account from each policy in the Entra admin center (Protection → Conditional Access → Policies):",
      `- "${policyName}" (blocking): Users → Exclude → add the connection account → Save. ${policyLink("p1")}`,
      "Entra admin center (https://entra.microsoft.com) → Protection → Conditional Access → Policies",
    ].join("\n"),
    findings: [{ policyId: "p1", policyName, state: "enabled", effect: "blocking", reason: "included via role Global Administrator" }],
  });
  const hrefs = (page: string): string[] => [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);

  it("links Microsoft's portal and documentation URLs, opened in the tenant", () => {
    const section = checkSection(result("Require MFA"), view.tenantId).value;
    expect(section).toContain(`href="https://entra.microsoft.com/${view.tenantId}/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/p1"`);
    expect(section).toContain(`href="https://entra.microsoft.com/${view.tenantId}/"`);
  });

  it.each([
    "https://portal.azure.com/#@attacker.onmicrosoft.com/resource/subscriptions/x",
    "https://entra.microsoft.com/11111111-2222-4333-8444-555555555555/#view/Microsoft_AAD_IAM/TenantOverview.ReactView",
    "https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=11111111-2222-4333-8444-555555555555&CSDEST=o365admincenter",
    "https://learn.microsoft.com/answers/questions/attacker",
    "https://aka.ms/attacker",
  ])("a policy named with a Microsoft URL into someone else's tenant or page (%s) is shown as text on the tenant page, never linked", (url) => {
    const state = minimalState(view.tenantId);
    const report = { ...state.lastReport, checks: [result(url)] };
    const page = tenantHtml(withState(view, { ...state, lastReport: report }));
    expect(page).toContain(url.replace(/&/g, "&amp;"));
    expect(hrefs(page).filter((h) => h.includes("attacker") || h.includes("11111111-2222"))).toEqual([]);
    // The links the check built are still there: the policy's own page, in this tenant.
    expect(hrefs(page)).toContain(`https://entra.microsoft.com/${view.tenantId}/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/p1`);
  });

  it.each(["https://evil.example/login", "https://entra.microsoft.com@evil.example/x", "https://entra.microsoft.com.evil.example/x"])(
    "shows a URL in a tenant's text (%s) as text, never as a link",
    (url) => {
      const section = checkSection(result(`Sign in again at ${url} now`), view.tenantId).value;
      expect(section).toContain("Sign in again at");
      expect(section).not.toMatch(/href="https:\/\/(evil\.example|entra\.microsoft\.com[@.])/);
    },
  );
});
