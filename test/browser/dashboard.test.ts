/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against Azurite and
 * the simulator: the demo's estate listed drifted-first, filters and search, a tenant's findings
 * and timeline, check now queuing a check, a hostile policy name shown as text, no serious or
 * critical accessibility violation (axe-core), and no violation of the pages' own CSP; a
 * tenant's decisions and the estate page's exceptions for every tenant through their plain forms.
 * Screenshots of each view go to test-output/browser/; with UPDATE_SCREENSHOTS=1 the estate and
 * tenant ones are also copied to docs/images/ for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { SAMPLE_TENANTS } from "../../sim/testing.js";
import { queueContext, takeAll } from "../integration/functions-helpers.js";
import { checkTenant } from "../../functions/handlers/index.js";
import { chromiumMissing, launchChromium, localContext } from "./chromium.js";
import { HOSTILE, northwind, startBrowserEstate, WINGTIP_BREAK_GLASS, wingtip, type BrowserEstate } from "./estate.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUT = join(ROOT, "test-output", "browser");
const AXE = axe.source;
const missing = chromiumMissing();

let estate: BrowserEstate;
let browser: Browser;
let context: BrowserContext;
const cspViolations: string[] = [];

async function open(path = ""): Promise<Page> {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(`${estate.dashboard.url}${path}`);
  return page;
}

async function shot(page: Page, name: string, readme?: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (readme && process.env.UPDATE_SCREENSHOTS === "1") copyFileSync(file, join(ROOT, "docs", "images", readme));
}

/** axe-core run in the page (evaluated over the DevTools protocol, which the page's CSP does not govern). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const ids = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    const r = await axe.run();
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length} nodes)`);
  });
  return ids;
}

const statuses = (page: Page) => page.locator("tbody tr[data-tenant]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));

describe.skipIf(missing !== null)("the dashboard in Chromium", () => {
  beforeAll(async () => {
    [estate, browser] = await Promise.all([startBrowserEstate(), launchChromium()]);
    context = await localContext(browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await estate?.stop();
  });

  it("lists the demo's tenants drifted first, then unknown, then the rest", async () => {
    const page = await open();
    const shown = await statuses(page);
    expect(shown).toHaveLength(SAMPLE_TENANTS.length);
    const drifted = SAMPLE_TENANTS.filter((t) => t.expected === "drifted").length;
    expect(drifted).toBeGreaterThan(0);
    expect(shown.slice(0, drifted)).toEqual(Array(drifted).fill("drifted"));
    expect(shown.slice(drifted)).not.toContain("drifted");
    const firstCompliant = shown.indexOf("compliant");
    expect(shown.slice(firstCompliant)).not.toContain("unknown");
    await expect(page.locator("ul.counts").textContent()).resolves.toContain(`${drifted}Drifted`);
    await expect(page.locator("figure.chart svg polyline").count()).resolves.toBe(3);
    await shot(page, "estate", "dashboard-estate.png");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("filters by status (applied on change by the page's script) and searches by name, id and domain", async () => {
    const page = await open();
    await Promise.all([page.waitForURL(/status=compliant/), page.selectOption("select[name=status]", "compliant")]);
    const compliant = await statuses(page);
    expect(compliant.length).toBe(SAMPLE_TENANTS.filter((t) => t.expected === "compliant").length);
    expect(new Set(compliant)).toEqual(new Set(["compliant"]));
    await shot(page, "estate-filtered");

    for (const needle of ["fabrikam", "d7f00000-0000-4000-8000-000000000003", "northwindtraders.onmicrosoft"]) {
      const p = await open();
      await p.fill("input[name=q]", needle);
      await Promise.all([p.waitForURL(/q=/), p.click("form.filters button[type=submit]")]);
      await expect(p.locator("tbody tr[data-tenant]").count()).resolves.toBe(1);
      await p.close();
    }
    const byCheck = await open("?check=conditional-access");
    const ids = await byCheck.locator("tbody tr[data-tenant]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-tenant")));
    expect(ids).toContain(northwind.tenantId);
    expect(ids.length).toBeLessThan(SAMPLE_TENANTS.length);
  });

  it("shows a tenant's checks with fixes, each policy's verdict with a tenant-scoped link, its timeline and the snapshot diff", async () => {
    const page = await open();
    await Promise.all([page.waitForURL(/tenants\//), page.click(`tr[data-tenant="${northwind.tenantId}"] a`)]);
    await expect(page.locator("h1").textContent()).resolves.toBe(northwind.displayName);
    const ca = page.locator("section[data-check=conditional-access]");
    await expect(ca.getAttribute("data-status")).resolves.toBe("fail");
    await expect(ca.locator("ol.steps li").count()).resolves.toBeGreaterThan(0);
    const hrefs = await ca.locator("td a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href.startsWith(`https://entra.microsoft.com/${northwind.tenantId}/`)).toBe(true);
    const timeline = await page.locator("tr[data-kind]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-kind")));
    expect(timeline).toContain("status");
    expect(timeline).toContain("alert");
    await expect(page.locator("ul.diff").textContent()).resolves.toContain("policy changed");
    await shot(page, "tenant", "dashboard-tenant.png");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("renders a hostile policy name as text: no element, no script run, the override shown visibly", async () => {
    const page = await open(`tenants/${northwind.tenantId}`);
    const text = (await page.locator("section[data-check=conditional-access] table").textContent()) ?? "";
    expect(text).toContain('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><U+202E>gnp.exe');
    await expect(page.locator("main img, main script").count()).resolves.toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(HOSTILE).toContain("\u202E");
  });

  it("check now queues a check of the tenant through the API's path, and says so", async () => {
    await takeAll(estate.app.queues.tenantChecks.client);
    const page = await open(`tenants/${northwind.tenantId}`);
    await Promise.all([page.waitForURL(/checked=queued/), page.click("form.check-now button")]);
    await expect(page.locator("[role=status]").textContent()).resolves.toContain("A check was queued");
    const messages = (await takeAll(estate.app.queues.tenantChecks.client)).map((t) => JSON.parse(t) as { tenantId: string; reason: string });
    expect(messages).toEqual([expect.objectContaining({ tenantId: northwind.tenantId, reason: "manual" })]);
    await shot(page, "tenant-check-queued");
    // Again while the first is in flight: nothing more is queued.
    await Promise.all([page.waitForURL(/checked=in-flight/), page.click("form.check-now button")]);
    expect(await takeAll(estate.app.queues.tenantChecks.client)).toEqual([]);
  });

  it("acknowledges a finding with a reason, withdraws it, and excepts it with an expiry, through the page's plain forms", async () => {
    const drifted = SAMPLE_TENANTS.find((t) => t.expected === "drifted" && t.tenantId !== northwind.tenantId);
    if (!drifted) throw new Error("the sample estate has no second drifted tenant");
    const page = await open(`tenants/${drifted.tenantId}`);
    const key = (await page.locator("li[data-finding]").first().getAttribute("data-finding")) ?? "";
    const finding = page.locator(`li[data-finding="${key}"]`);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "tenant-decisions");

    await finding.locator("form[action$='/acks'] input[name=reason]").fill("seen, fixing it in CHG-9");
    await Promise.all([page.waitForURL(/checked=acknowledged/), finding.locator("form[action$='/acks'] button").click()]);
    await expect(finding.locator("p.standing").textContent()).resolves.toMatch(/^acknowledged by local operator until .*: seen, fixing it in CHG-9$/);
    await expect(page.locator("table.audit").textContent()).resolves.toContain("acknowledged");

    await Promise.all([page.waitForURL(/checked=ack-withdrawn/), finding.locator("form[action$='/acks/withdraw'] button").click()]);
    await expect(finding.locator("p.standing").count()).resolves.toBe(0);

    const except = finding.locator("form[action$='/exceptions']");
    await except.locator("input[name=what][value=check]").check();
    await except.locator("input[name=reason]").fill("the customer accepted it");
    await except.locator("input[name=owner]").fill("Jo Owner");
    await except.locator("input[name=reference]").fill("CHG-10");
    await except.locator("input[name=expiresAt]").fill("2026-06-01");
    await Promise.all([page.waitForURL(/checked=excepted/), except.locator("button").click()]);
    await expect(finding.locator("p.standing").textContent()).resolves.toBe("excepted until 2026-06-01, the customer accepted it, owner Jo Owner (CHG-10)");
    const audit = await page.locator("table.audit tbody tr").allTextContents();
    expect(audit).toHaveLength(3);
    expect(audit[0]).toContain("approved an exception");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "tenant-excepted");
  });

  it("approves an exception for every tenant on the estate page, shows it with its audit entry, and removes it", async () => {
    const page = await open();
    const form = page.locator("form.estate-approve");
    await form.locator("input[name=what][value=check]").check();
    await form.locator("select[name=checkId]").selectOption("security-defaults");
    await form.locator("input[name=reason]").fill("estate standard: automation on a workload identity");
    await form.locator("input[name=owner]").fill("MSP security");
    await form.locator("input[name=reference]").fill("POL-7");
    await form.locator("input[name=expiresAt]").fill("2026-08-01");
    await Promise.all([page.waitForURL(/checked=estate-excepted/), form.locator("button").click()]);
    await expect(page.locator("[role=status]").textContent()).resolves.toContain("approved for every tenant");
    const row = page.locator('tr[data-exception="check:security-defaults"]');
    await expect(row.textContent()).resolves.toMatch(/check security-defaults waived[\s\S]*MSP security[\s\S]*POL-7[\s\S]*by local operator/);
    await expect(page.locator("#estate-exceptions ~ table.audit").textContent()).resolves.toContain("approved an exception");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "estate-exceptions");

    await Promise.all([page.waitForURL(/checked=estate-exception-removed/), row.locator("form button").click()]);
    await expect(page.locator('tr[data-exception="check:security-defaults"]').textContent()).resolves.toContain("removed by local operator");
    await expect(page.locator("#estate-exceptions ~ table.audit tbody tr").count()).resolves.toBe(2);
    // Both at the test clock's one instant: their order is not the point.
    const audit = await estate.app.store.standings.listAudit("~estate");
    expect(audit.map((a) => `${a.action} by ${a.by}`).sort()).toEqual(["exception-approved by local operator", "exception-removed by local operator"]);
  });

  it("shows a tenant with two accounts grouped under it, each with its kind, on the estate and the tenant page", async () => {
    const estatePage = await open(`?q=${encodeURIComponent("wingtip")}`);
    await expect(estatePage.locator(`tr[data-tenant="${wingtip.tenantId}"]`).textContent()).resolves.toContain("2 accounts (1 emergency-access)");
    await expect(estatePage.locator("p.accounts-count").textContent()).resolves.toMatch(
      /monitored accounts in \d+ tenants: \d+ connection accounts, 1 emergency-access account;/,
    );
    const page = await open(`tenants/${wingtip.tenantId}`);
    const kinds = await page.locator("section.account").evaluateAll((s) => s.map((e) => e.getAttribute("data-kind")));
    expect(kinds).toEqual(["connection", "emergency-access"]);
    await expect(page.locator("section.account h2").allTextContents()).resolves.toEqual([
      `connection account: ${wingtip.account}`,
      `emergency-access account: ${WINGTIP_BREAK_GLASS}`,
    ]);
    const rows = await page.locator("table.accounts tbody tr").allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("emergency-access account");
    // The connection account was checked: its checks are in its own section.
    await expect(page.locator("section.account").first().locator("section.check").count()).resolves.toBeGreaterThan(0);
    await shot(page, "tenant-accounts");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("approves an exception for one of a tenant's two accounts by default, named by its UPN in the exceptions and the audit trail", async () => {
    // Wingtip drifts (Security Defaults on) and is checked: its connection account has a finding to except.
    estate.sim.state.tenant(wingtip.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    estate.clock.advanceMinutes(60);
    await checkTenant({ tenantId: wingtip.tenantId, enqueuedAt: estate.clock.now().toISOString(), reason: "manual" }, queueContext(1, "m-scope"));
    const page = await open(`tenants/${wingtip.tenantId}`);
    const finding = page.locator('section.account[data-kind="connection"] li[data-finding="security-defaults|"]');
    const except = finding.locator("form[action$='/exceptions']");
    await expect(except.locator("input[name=cover][value=account]").isChecked()).resolves.toBe(true);
    await expect(except.locator("fieldset fieldset").nth(1).textContent()).resolves.toContain(`only ${wingtip.account}`);
    await except.locator("input[name=what][value=check]").check();
    await except.locator("input[name=reason]").fill("the connection account moves to a workload identity");
    await except.locator("input[name=owner]").fill("Jo Owner");
    await except.locator("input[name=reference]").fill("CHG-11");
    await except.locator("input[name=expiresAt]").fill("2026-06-01");
    await Promise.all([page.waitForURL(/checked=excepted/), except.locator("button").click()]);
    await expect(finding.locator("p.standing").textContent()).resolves.toMatch(new RegExp(`^excepted for ${wingtip.account} only until 2026-06-01`));
    const row = page.locator("table.exceptions tbody tr", { hasText: "CHG-11" });
    await expect(row.textContent()).resolves.toContain(`only ${wingtip.account}`);
    await expect(page.locator("table.audit tbody tr").first().textContent()).resolves.toContain(`check:security-defaults@first (only ${wingtip.account})`);
    const stored = await estate.app.store.standings.listExceptions(wingtip.tenantId);
    expect(stored.map((e) => [e.id, e.accountKey])).toEqual([["check:security-defaults@first", ""]]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "tenant-account-exception");
  });

  it("the pages never violate their own Content-Security-Policy", () => {
    expect(cspViolations).toEqual([]);
  });
});
