/**
 * A fix in a real browser (Debian's Chromium), by two signed-in people: the dashboard behind the
 * sign-in App Service gives it (the principal and the ID token, signed by the simulator's key and
 * verified as Entra's), each person a browser context of their own. Operator A previews the fix for
 * Fabrikam's blocking policy and requests it; operator B approves and applies it; the simulator's
 * policy gains the exclusion, the re-check shows the tenant compliant, the audit trail shows both
 * people and the before/after JSON; revert restores it. Proseware, which has not consented the
 * remediation app, shows no Fix button. Every write was the remediation app's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { setApp, type App } from "../../functions/app/index.js";
import { processCheckMessage } from "../../functions/app/check.js";
import { dashboardDeps } from "../../functions/dashboard/deps.js";
import { startDashboardServer, type RunningDashboard } from "../../cli/dashboard/server.js";
import { DASHBOARD_ROLE, REMEDIATOR_ROLE } from "../../lib/dashboard/access.js";
import { entraIdTokenVerifier } from "../../lib/dashboard/entra-keys.js";
import { entraIssuer } from "../../lib/dashboard/id-token.js";
import { loadRemediationSettings } from "../../lib/config/remediation.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { testApp, TestClock } from "../integration/functions-helpers.js";
import { DASHBOARD_APP, OPERATOR_TENANT, signedIn } from "../integration/functions-dashboard-helpers.js";
import { chromiumMissing, launchChromium } from "./chromium.js";
import { REMEDIATION_APP, WRITER } from "../integration/remediation-helpers.js";

const missing = chromiumMissing();
const fabrikam = sampleTenant("Fabrikam");
const proseware = sampleTenant("Proseware");
const CA10 = "d7f30200-0000-4000-8000-000000000010";
const FINDING = `conditional-access|${CA10}`;
const ACCOUNT = "d7f10200-0000-4000-8000-000000000001";

let sim: RunningSimulator;
let clock: TestClock;
let app: App;
let dashboard: RunningDashboard;
let browser: Browser;
let ada: BrowserContext;
let bob: BrowserContext;

async function person(name: string, oid: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    extraHTTPHeaders: signedIn(sim, { name, oid, roles: [DASHBOARD_ROLE, REMEDIATOR_ROLE] }),
  });
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
  return context;
}

function excludeUsers(): unknown {
  const policy = sim.state.tenant(fabrikam.tenantId).conditionalAccessPolicies.find((p) => p.id === CA10)!;
  return (policy.conditions as { users: { excludeUsers: unknown } }).users.excludeUsers;
}

const cspViolations: string[] = [];

/** axe-core's serious and critical violations of the page (evaluated over the DevTools protocol, outside the page's CSP). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
    const r = await run.run();
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  });
}

async function open(context: BrowserContext, tenantId: string): Promise<Page> {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(`${dashboard.url}/tenants/${tenantId}`);
  return page;
}

async function step(page: Page, label: "Approve" | "Apply" | "Revert", flash: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(/checked=fix-/), page.click(`li.fix button:text-is("${label}")`)]);
  await expect(page.locator("[role=status]").textContent()).resolves.toMatch(flash);
}

describe.skipIf(missing !== null)("a fix with four-eyes in Chromium", () => {
  beforeAll(async () => {
    sim = await startTestSimulator();
    clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.setClock(clock.now);
    sim.state.tenant(fabrikam.tenantId).appGrants = { [REMEDIATION_APP]: WRITER };
    app = testApp(sim, clock);
    setApp(app);
    for (const t of [fabrikam, proseware]) {
      await app.store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, account: t.account, recipients: ["ops@example.com"] });
      const r = await processCheckMessage(
        app,
        { tenantId: t.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" },
        { dequeueCount: 1, maxDequeueCount: 1 },
      );
      expect(r).toMatchObject({ kind: "checked", status: "drifted" });
    }
    const remediation = loadRemediationSettings({
      GRAPH_ENDPOINT: sim.url,
      AZURE_AUTHORITY_HOST: sim.url,
      REMEDIATION_CLIENT_ID: REMEDIATION_APP,
      REMEDIATION_CLIENT_SECRET: "remediation-secret-value",
      REMEDIATION_VERIFY_SECONDS: "0",
    });
    const access = {
      kind: "easy-auth" as const,
      expect: { issuer: entraIssuer(sim.url, OPERATOR_TENANT), audience: DASHBOARD_APP, tenantId: OPERATOR_TENANT, role: DASHBOARD_ROLE },
      verifyIdToken: entraIdTokenVerifier({ authorityHost: sim.url, tenantId: OPERATOR_TENANT, now: clock.now }),
      now: clock.now,
    };
    dashboard = await startDashboardServer(dashboardDeps(app, { access, log: () => {}, remediation }));
    browser = await launchChromium();
    [ada, bob] = await Promise.all([
      person("Ada Operator", "a0a0a0a0-0000-4000-8000-00000000000a"),
      person("Bob Approver", "b0b0b0b0-0000-4000-8000-00000000000b"),
    ]);
    sim.state.writeAttempts = [];
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await sim?.stop();
    setApp(undefined);
  });

  it("A previews and requests, B approves and applies, the re-check is compliant, the audit shows both; revert restores it", async () => {
    const a = await open(ada, fabrikam.tenantId);
    await Promise.all([a.waitForURL(/\/fix\?/), a.click(`li[data-fixable="${FINDING}"] button`)]);
    await expect(a.locator("[data-request]").textContent()).resolves.toBe(`PATCH /v1.0/identity/conditionalAccess/policies/${CA10}`);
    expect(JSON.parse(((await a.locator("pre[data-side=before]").textContent()) ?? "").replace(/^before: /, ""))).toEqual({
      conditions: { users: { excludeUsers: [] } },
    });
    expect(JSON.parse(((await a.locator("pre[data-side=after]").textContent()) ?? "").replace(/^after: /, ""))).toEqual({
      conditions: { users: { excludeUsers: [ACCOUNT] } },
    });
    await expect(seriousViolations(a)).resolves.toEqual([]);
    await Promise.all([a.waitForURL(/checked=fix-pending/), a.click("form button:text-matches('Request this fix')")]);
    await expect(a.locator("li.fix[data-state=pending]").textContent()).resolves.toMatch(/Waiting for a second person/);
    // A cannot approve their own request: the page offers no button to them.
    await expect(a.locator("li.fix button").count()).resolves.toBe(0);

    const b = await open(bob, fabrikam.tenantId);
    await step(b, "Approve", /Fix approved/);
    clock.advanceMinutes(5);
    await step(b, "Apply", /Fix applied/);
    expect(excludeUsers()).toEqual([ACCOUNT]);
    const fix = b.locator("li.fix").first();
    await expect(fix.getAttribute("data-state")).resolves.toBe("applied");
    await expect(fix.locator("p.recheck").getAttribute("data-status")).resolves.toBe("compliant");
    await expect(b.locator("dl.facts dd .status").first().textContent()).resolves.toBe("compliant");

    await expect(seriousViolations(b)).resolves.toEqual([]);
    const audit = (await b.locator("table.audit").textContent()) ?? "";
    expect(audit).toContain("Ada Operator");
    expect(audit).toContain("Bob Approver");
    expect(audit).toMatch(/requested a fix/);
    expect(audit).toMatch(/approved the fix/);
    expect(audit).toContain(`"excludeUsers": [\n        "${ACCOUNT}"\n      ]`);
    expect(audit).toContain(`"excludeUsers": []`);

    clock.advanceMinutes(5);
    await step(b, "Revert", /Fix reverted/);
    expect(excludeUsers()).toEqual([]);
    await expect(b.locator("li.fix").first().getAttribute("data-state")).resolves.toBe("reverted");
    await expect(b.locator("dl.facts dd .status").first().textContent()).resolves.toBe("drifted");

    expect(cspViolations).toEqual([]);
    expect(sim.state.writeAttempts.map((w) => [w.appId, w.allowed])).toEqual([
      [REMEDIATION_APP, true],
      [REMEDIATION_APP, true],
    ]);
  });

  it("the policy changes between the preview and the apply: nothing is overwritten, the operator is told to preview again", async () => {
    const a = await open(ada, fabrikam.tenantId);
    await Promise.all([a.waitForURL(/\/fix\?/), a.click(`li[data-fixable="${FINDING}"] button`)]);
    await Promise.all([a.waitForURL(/checked=fix-pending/), a.click("form button:text-matches('Request this fix')")]);
    const b = await open(bob, fabrikam.tenantId);
    await step(b, "Approve", /Fix approved/);
    // Another administrator excludes someone else from the policy meanwhile.
    const edited = ["d7f10200-0000-4000-8000-000000000002"];
    const policy = sim.state.tenant(fabrikam.tenantId).conditionalAccessPolicies.find((p) => p.id === CA10)!;
    (policy.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers = edited;
    const before = sim.state.writeAttempts.length;
    await step(b, "Apply", /The resource changed since the preview: nothing was changed\. Preview again\./);
    expect(excludeUsers()).toEqual(edited);
    expect(sim.state.writeAttempts.length).toBe(before);
    await expect(b.locator("li.fix").first().getAttribute("data-state")).resolves.toBe("stale");
    await expect(b.locator("li.fix").first().locator("p.fix-run").textContent()).resolves.toMatch(/preview again/);
    (policy.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers = [];
  });

  it("a tenant that has not consented the remediation app shows no Fix button", async () => {
    const p = await open(ada, proseware.tenantId);
    await expect(p.locator("[data-fix-off]").count()).resolves.toBe(1);
    await expect(p.locator("li[data-fixable] button").count()).resolves.toBe(0);
    const f = await open(ada, fabrikam.tenantId);
    await expect(f.locator("li[data-fixable] button").count()).resolves.toBeGreaterThan(0);
  });
});
