/**
 * A fix from preview to re-check, through the real parts: Azurite, the simulator over HTTPS, the
 * remediation app's own credential, and the runner for the re-check. Fabrikam is drifted by one
 * blocking Conditional Access policy (CA10, requiring MFA of a non-interactive account); excluding the account makes it compliant.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { App } from "../../functions/app/index.js";
import { processCheckMessage } from "../../functions/app/check.js";
import { remediationShell, type RemediationShell } from "../../functions/app/remediation.js";
import { dashboardDeps } from "../../functions/dashboard/deps.js";
import { handleDashboardRequest } from "../../functions/dashboard/handle.js";
import { apply, approve, preview, request, revert, type FindingRef } from "../../lib/remediation/flow.js";
import type { Actor } from "../../lib/model/remediation.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { testApp, TestClock } from "./functions-helpers.js";
import { DASHBOARD_APP, OPERATOR_TENANT, signedIn } from "./functions-dashboard-helpers.js";
import { DASHBOARD_ROLE, REMEDIATOR_ROLE } from "../../lib/dashboard/access.js";
import { entraIdTokenVerifier } from "../../lib/dashboard/entra-keys.js";
import { entraIssuer } from "../../lib/dashboard/id-token.js";
import { excludeUsersOf, FABRIKAM, FABRIKAM_ACCOUNT, grantWriter, REMEDIATION_APP, settings, sim, useRemediationSimulator } from "./remediation-helpers.js";

useRemediationSimulator();

const ADA: Actor = { id: "oid-ada", name: "Ada Operator" };
const BOB: Actor = { id: "oid-bob", name: "Bob Approver" };
const MONITORING_APP = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";
/** "CA10 - Require MFA for IT staff" reaches the account through a nested group: the one drift of Fabrikam. */
const CA10 = "d7f30200-0000-4000-8000-000000000010";
const FINDING = `conditional-access|${CA10}`;
const OTHER = "d7f10200-0000-4000-8000-000000000002";

let app: App;
let clock: TestClock;

async function check(): Promise<void> {
  const r = await processCheckMessage(
    app,
    { tenantId: FABRIKAM, enqueuedAt: clock.now().toISOString(), reason: "manual" },
    { dequeueCount: 1, maxDequeueCount: 1 },
  );
  expect(r.kind).toBe("checked");
}

async function ref(): Promise<FindingRef> {
  const report = (await app.store.monitor.readState(FABRIKAM))?.state.lastReport;
  return { tenantId: FABRIKAM, accountKey: "", findingKey: FINDING, report };
}

function shell(env: Record<string, string> = {}): RemediationShell {
  return remediationShell(app, settings({ REMEDIATION_VERIFY_SECONDS: "0", ...env }));
}

beforeEach(async () => {
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
  app = testApp(sim, clock);
  const t = sampleTenant("Fabrikam");
  await app.store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, account: t.account, recipients: ["ops@example.com"] });
  await check();
  sim.state.writeAttempts = [];
});

async function requested(s: RemediationShell): Promise<string> {
  const shown = await preview(s.flow, await ref());
  if (!shown.ok || !("plan" in shown.value)) throw new Error(`no plan: ${JSON.stringify(shown)}`);
  const r = await request(s.flow, await ref(), ADA, shown.value.digest);
  if (!r.ok) throw new Error(r.error);
  return r.value.id;
}

describe("a fix with four-eyes", () => {
  it("previewed by one person, approved by another, applied by the remediation app, re-checked compliant; reverted", async () => {
    grantWriter();
    const s = shell();
    expect((await app.store.monitor.readState(FABRIKAM))?.state.lastReport.status).toBe("drifted");
    const shown = await preview(s.flow, await ref());
    expect(shown).toMatchObject({ ok: true, value: { plan: { before: { conditions: { users: { excludeUsers: [] } } } } } });
    const id = await requested(s);
    const at = { tenantId: FABRIKAM, accountKey: "", id };

    expect(await approve(s.flow, at, ADA)).toMatchObject({ ok: false, status: 403 });
    expect(await apply(s.flow, at, BOB)).toMatchObject({ ok: false, status: 409 });
    expect(await approve(s.flow, at, BOB)).toMatchObject({ ok: true, value: { state: "approved", approvedBy: BOB } });
    clock.advanceMinutes(5);
    const applied = await apply(s.flow, at, BOB);
    expect(applied).toMatchObject({
      ok: true,
      value: { state: "applied", result: { outcome: "applied", answer: { status: 204 } }, recheck: { outcome: "checked", tenantStatus: "compliant" } },
    });
    expect(excludeUsersOf(FABRIKAM, CA10)).toEqual([FABRIKAM_ACCOUNT]);
    expect((await app.store.monitor.readState(FABRIKAM))?.state.lastReport.status).toBe("compliant");

    const audit = await app.store.standings.listAudit(FABRIKAM);
    // Entries of one instant are ordered by action, not time: compared as a set.
    expect(audit.map((a) => [a.action, a.by]).sort()).toEqual([
      ["fix-applied", BOB.name],
      ["fix-approved", BOB.name],
      ["fix-rechecked", BOB.name],
      ["fix-requested", ADA.name],
    ]);
    const appliedEntry = audit.find((a) => a.action === "fix-applied");
    expect(appliedEntry?.before).toMatchObject({ state: "approved" });
    expect(appliedEntry?.after).toMatchObject({ state: "applied", result: { before: { conditions: { users: { excludeUsers: [] } } } } });

    clock.advanceMinutes(5);
    const reverted = await revert(s.flow, at, ADA);
    expect(reverted).toMatchObject({ ok: true, value: { state: "reverted", revert: { outcome: "applied" }, revertRecheck: { tenantStatus: "drifted" } } });
    expect(excludeUsersOf(FABRIKAM, CA10)).toEqual([]);

    // Every write was the remediation app's; the monitoring app never asked for one.
    expect(sim.state.writeAttempts.length).toBe(2);
    expect(sim.state.writeAttempts.every((w) => w.appId === REMEDIATION_APP && w.allowed)).toBe(true);
    expect(sim.state.writeAttempts.some((w) => w.appId === MONITORING_APP)).toBe(false);
  });

  it("the policy changes between preview and apply: stale, nothing overwritten, told to preview again", async () => {
    grantWriter();
    const s = shell();
    const id = await requested(s);
    const at = { tenantId: FABRIKAM, accountKey: "", id };
    expect((await approve(s.flow, at, BOB)).ok).toBe(true);
    const policy = sim.state.tenant(FABRIKAM).conditionalAccessPolicies.find((p) => p.id === CA10)!;
    (policy.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers = [OTHER];

    const r = await apply(s.flow, at, BOB);
    expect(r).toMatchObject({
      ok: true,
      value: { state: "stale", result: { outcome: "stale", before: { conditions: { users: { excludeUsers: [OTHER] } } } } },
    });
    if (r.ok) expect(r.value.result?.message).toMatch(/preview again/);
    expect(excludeUsersOf(FABRIKAM, CA10)).toEqual([OTHER]);
    expect(sim.state.writeAttempts).toEqual([]);
    expect((await app.store.standings.listAudit(FABRIKAM)).filter((a) => a.action === "fix-stale").map((a) => a.by)).toEqual([BOB.name]);
    // A stale request is final: applying it again is refused; a new preview keeps the other exclusion.
    expect(await apply(s.flow, at, BOB)).toMatchObject({ ok: false, status: 409 });
    const again = await preview(s.flow, await ref());
    expect(again).toMatchObject({ ok: true, value: { plan: { after: { conditions: { users: { excludeUsers: [OTHER, FABRIKAM_ACCOUNT] } } } } } });
  });

  it("a request whose preview no longer matches the resource is refused (preview again)", async () => {
    grantWriter();
    const s = shell();
    const r = await request(s.flow, await ref(), ADA, "0".repeat(32));
    expect(r).toMatchObject({ ok: false, status: 409 });
    if (!r.ok) expect(r.error).toMatch(/preview again/);
  });

  it("a pending request expires unapproved after REMEDIATION_APPROVAL_HOURS", async () => {
    grantWriter();
    const s = shell({ REMEDIATION_APPROVAL_HOURS: "2" });
    const id = await requested(s);
    clock.advanceMinutes(121);
    const r = await approve(s.flow, { tenantId: FABRIKAM, accountKey: "", id }, BOB);
    expect(r).toMatchObject({ ok: false, status: 409 });
    expect((await app.store.remediations.get(FABRIKAM, "", id))?.fix.state).toBe("expired");
    expect((await app.store.standings.listAudit(FABRIKAM)).map((a) => a.action)).toContain("fix-expired");
  });

  it("without four-eyes the request is its own approval", async () => {
    grantWriter();
    const s = shell({ REMEDIATION_REQUIRE_APPROVAL: "false" });
    const id = await requested(s);
    const fix = (await app.store.remediations.get(FABRIKAM, "", id))?.fix;
    expect(fix).toMatchObject({ state: "approved", fourEyes: false, approvedBy: ADA });
  });

  it("the tenant's own setting decides over the estate's, either way", async () => {
    grantWriter();
    const t = sampleTenant("Fabrikam");
    const register = (fixApproval: "required" | "not-required") =>
      app.store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, account: t.account, recipients: ["ops@example.com"], fixApproval });
    await register("not-required");
    const relaxed = await requested(shell());
    expect((await app.store.remediations.get(FABRIKAM, "", relaxed))?.fix).toMatchObject({ state: "approved", fourEyes: false });
    await register("required");
    const strict = await requested(shell({ REMEDIATION_REQUIRE_APPROVAL: "false" }));
    expect((await app.store.remediations.get(FABRIKAM, "", strict))?.fix).toMatchObject({ state: "pending", fourEyes: true });
    expect((await app.store.tenants.get(t.tenantId))?.fixApproval).toBe("required");
  });
});

describe("another kind of fix: legacy per-user MFA on Proseware's account", () => {
  it("is previewed, approved, applied (the finding resolves on the re-check) and reverted to enforced", async () => {
    grantWriter();
    const s = shell();
    const t = sampleTenant("Proseware");
    await app.store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, account: t.account, recipients: ["ops@example.com"] });
    await processCheckMessage(app, { tenantId: t.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" }, { dequeueCount: 1, maxDequeueCount: 1 });
    const report = (await app.store.monitor.readState(t.tenantId))?.state.lastReport;
    const where = { tenantId: t.tenantId, accountKey: "", findingKey: "per-user-mfa|", report };
    const shown = await preview(s.flow, where);
    if (!shown.ok || !("plan" in shown.value)) throw new Error(`no plan: ${JSON.stringify(shown)}`);
    expect(shown.value.plan).toMatchObject({ before: { perUserMfaState: "enforced" }, after: { perUserMfaState: "disabled" } });
    const requested = await request(s.flow, where, ADA, shown.value.digest);
    if (!requested.ok) throw new Error(requested.error);
    const at = { tenantId: t.tenantId, accountKey: "", id: requested.value.id };
    expect((await approve(s.flow, at, BOB)).ok).toBe(true);
    clock.advanceMinutes(5);
    expect(await apply(s.flow, at, BOB)).toMatchObject({ ok: true, value: { state: "applied", recheck: { outcome: "checked", finding: "resolved" } } });
    clock.advanceMinutes(5);
    expect(await revert(s.flow, at, BOB)).toMatchObject({ ok: true, value: { state: "reverted", revertRecheck: { finding: "open" } } });
    expect(sim.state.writeAttempts.map((w) => [w.endpoint, w.appId])).toEqual([
      ["updatePerUserMfa", REMEDIATION_APP],
      ["updatePerUserMfa", REMEDIATION_APP],
    ]);
  });
});

describe("the Fix button", () => {
  async function tenantPage(remediation: boolean): Promise<string> {
    const deps = dashboardDeps(app, { access: { kind: "local" }, log: () => {}, ...(remediation ? { remediation: settings() } : {}) });
    const r = await handleDashboardRequest(
      { method: "GET", path: `tenants/${FABRIKAM}`, query: new URLSearchParams(), header: () => null, origin: "http://127.0.0.1" },
      deps,
    );
    expect(r.status).toBe(200);
    return r.body;
  }

  it("shows only where the tenant consented the remediation app's write permissions and the app is configured", async () => {
    // No grants: the remediation app's token in Fabrikam carries the read-only roles.
    const without = await tenantPage(true);
    expect(without).toContain("data-fix-off");
    expect(without).not.toContain(`data-fixable="${FINDING}"`);

    grantWriter();
    const unconfigured = await tenantPage(false);
    expect(unconfigured).toMatch(/Fixes are off: the remediation app is not configured/);
    expect(unconfigured).not.toContain("data-fixable");

    const withConsent = await tenantPage(true);
    expect(withConsent).toContain(`data-fixable="${FINDING}"`);
    expect(withConsent).toMatch(/<button type="submit" aria-label="Fix CA10[^"]*">Fix<\/button>/);
  });
});

describe("who may fix", () => {
  /** The dashboard behind App Service's sign-in: the person's ID token verified as Entra's (signed by the simulator's key). */
  function signedInDashboard(roles: readonly string[]) {
    const deps = dashboardDeps(app, {
      access: {
        kind: "easy-auth",
        expect: { issuer: entraIssuer(sim.url, OPERATOR_TENANT), audience: DASHBOARD_APP, tenantId: OPERATOR_TENANT, role: DASHBOARD_ROLE },
        verifyIdToken: entraIdTokenVerifier({ authorityHost: sim.url, tenantId: OPERATOR_TENANT, now: clock.now }),
        now: clock.now,
      },
      log: () => {},
      remediation: settings(),
    });
    const headers: Record<string, string> = {
      ...signedIn(sim, { name: "Olga Operator", roles: [...roles] }),
      cookie: "dm_csrf=abcdefghijklmnopqrstuvwxyzABCDEF",
    };
    return (method: string, path: string, body?: string, extra: Record<string, string> = {}) =>
      handleDashboardRequest(
        {
          method,
          path: path.split("?")[0] ?? path,
          query: new URLSearchParams(path.split("?")[1] ?? ""),
          header: (n) => ({ ...headers, ...extra })[n.toLowerCase()] ?? null,
          origin: "https://drift.example.net",
          ...(body !== undefined ? { body } : {}),
        },
        deps,
      );
  }

  it("an operator without DriftMonitor.Remediator sees no Fix button and is refused the preview and every step", async () => {
    grantWriter();
    const go = signedInDashboard([DASHBOARD_ROLE]);
    const page = await go("GET", `tenants/${FABRIKAM}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("data-fixable");
    const preview = await go("GET", `tenants/${FABRIKAM}/fix?account=&finding=${encodeURIComponent(FINDING)}`);
    expect(preview.status).toBe(403);
    expect(preview.body).toContain("DriftMonitor.Remediator");
    const form = `csrf=abcdefghijklmnopqrstuvwxyzABCDEF&account=&finding=${encodeURIComponent(FINDING)}&digest=${"0".repeat(32)}`;
    expect((await go("POST", `tenants/${FABRIKAM}/fixes`, form, { origin: "https://drift.example.net" })).status).toBe(403);
    expect(sim.state.writeAttempts).toEqual([]);
  });

  it("a Remediator's step needs this site's origin and the CSRF token", async () => {
    grantWriter();
    const id = await requested(shell());
    const go = signedInDashboard([DASHBOARD_ROLE, REMEDIATOR_ROLE]);
    const path = `tenants/${FABRIKAM}/fixes/${id}/approve`;
    const crossSite = await go("POST", path, "csrf=abcdefghijklmnopqrstuvwxyzABCDEF&account=", { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    const noToken = await go("POST", path, "account=", { origin: "https://drift.example.net" });
    expect(noToken.status).toBe(403);
    expect((await app.store.remediations.get(FABRIKAM, "", id))?.fix.state).toBe("pending");
    const ok = await go("POST", path, "csrf=abcdefghijklmnopqrstuvwxyzABCDEF&account=", { origin: "https://drift.example.net" });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toContain("checked=fix-approved");
    expect((await app.store.remediations.get(FABRIKAM, "", id))?.fix).toMatchObject({ state: "approved", approvedBy: { name: "Olga Operator" } });
  });
});
