/**
 * The next-sign-in checks end to end through the runner: the simulator's sample tenants for each way the
 * account's next sign-in can fail, changed between runs; the real collector, rules, drift and
 * store (Azurite) decide what to mail — a drift and its resolution, or an early warning, once.
 */
import { describe, expect, it } from "vitest";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { TestClock } from "./runner-helpers.js";
import { accountIdOf, registered, registeredIn, runnerDeps, transitionLabels as labels, useSimulatorAndStore } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Next", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

async function run(name: string): Promise<RunOutcome> {
  const tenant = await registeredIn(store, name);
  return runTenantCheck(tenant, runnerDeps(sim, store, clock));
}

const status = (o: RunOutcome, id: string) => o.report.checks.find((c) => c.id === id)?.status;
const account = (name: string) => {
  const id = accountIdOf(sim, registered(name));
  const user = sim.state.tenant(registered(name).tenantId).users.find((u) => u.id === id);
  if (!user) throw new Error(`no account in ${name}`);
  return user;
};

describe("runTenantCheck: the account's next sign-in", () => {
  it("an expired password drifts; set never to expire, it is resolved", async () => {
    const first = await run("Margie");
    expect(status(first, "password-expiry")).toBe("fail");
    expect(labels(first.transitions)).toEqual(["drift-detected:password-expiry|"]);
    account("Margie").passwordPolicies = "DisablePasswordExpiration";
    clock.advanceHours(1);
    const next = await run("Margie");
    expect(labels(next.transitions)).toEqual(["resolved:password-expiry|"]);
  });

  it("a forced password change drifts; cleared, it is resolved", async () => {
    const first = await run("Tasmanian");
    expect(labels(first.transitions)).toEqual(["drift-detected:password-change-forced|"]);
    account("Tasmanian").passwordProfile = { forceChangePasswordNextSignIn: false, forceChangePasswordNextSignInWithMfa: false, password: null };
    clock.advanceHours(1);
    expect(labels((await run("Tasmanian")).transitions)).toEqual(["resolved:password-change-forced|"]);
  });

  it("user risk: the user-risk policy blocks (drift) and the risk is an early warning; dismissed, the policy is resolved", async () => {
    const first = await run("Humongous");
    expect(status(first, "user-risk")).toBe("warn");
    expect(first.report.checks.find((c) => c.id === "conditional-access")?.findings?.find((f) => f.effect === "blocking")?.reason).toMatch(
      /user risk is high, which meets the policy's user-risk condition/,
    );
    expect(labels(first.transitions).sort()).toEqual(["drift-detected:conditional-access|d7f32000-0000-4000-8000-000000000009", "early-warning:user-risk|"]);
    const tenant = sim.state.tenant(registered("Humongous").tenantId);
    tenant.riskyUsers = {
      [accountIdOf(sim, registered("Humongous"))]: { riskLevel: "none", riskState: "dismissed", riskDetail: "adminDismissedAllRiskForUser" },
    };
    clock.advanceHours(1);
    const next = await run("Humongous");
    expect(status(next, "user-risk")).toBe("pass");
    expect(labels(next.transitions)).toEqual(["resolved:conditional-access|d7f32000-0000-4000-8000-000000000009"]);
  });

  it("user risk unreadable: without P2 (Graph's 403) or without IdentityRiskyUser.Read.All, skipped saying what to add; never unknown", async () => {
    const noP2 = await run("Tailspin"); // Entra ID P1 without P2
    const check = (o: RunOutcome) => o.report.checks.find((c) => c.id === "user-risk");
    expect(check(noP2)).toMatchObject({ status: "skipped", summary: expect.stringMatching(/needs Entra ID P2/) });
    expect(noP2.report.status).not.toBe("unknown");
    sim.state.addFault({ tenantId: registered("Humongous").tenantId, endpoint: "riskyUsers", kind: "403" });
    const denied = await run("Humongous");
    expect(check(denied)).toMatchObject({
      status: "skipped",
      summary: "Skipped: grant the application IdentityRiskyUser.Read.All to read the account's user risk",
    });
    expect(check(denied)?.reason).toMatch(/grant the application permission IdentityRiskyUser.Read.All/);
    expect(denied.report.checks.filter((c) => c.status === "unknown")).toEqual([]);
  });

  it("sessions revoked: one early warning naming who (the audit log), not repeated; signed in again it clears silently; revoked again, a new one", async () => {
    const audits = () => sim.state.counters.byEndpoint.directoryAudits ?? 0;
    const reason = (o: RunOutcome) => o.report.checks.find((c) => c.id === "sessions-revoked")?.reason ?? "";
    const first = await run("Southridge");
    expect(labels(first.transitions)).toEqual(["early-warning:sessions-revoked|"]);
    // The sample's audit log: the revoke on the account 2 s before the instant; a revoke of another user and an older edit are not it.
    expect(reason(first)).toMatch(
      /The audit log shows "Invalidate all refresh tokens for user" on the account by megan\.bowen@southridgevideo\.onmicrosoft\.com at 2026-01-05T09:29:58Z\.$/,
    );
    expect(first.alerts[0]?.transitions[0]).toMatchObject({ finding: { evidence: expect.arrayContaining([expect.stringMatching(/^audit log: .* by megan\.bowen@/)]) } });
    expect(audits()).toBe(1);
    clock.advanceHours(1);
    expect((await run("Southridge")).transitions).toEqual([]);
    const user = account("Southridge");
    user.signInActivity = { lastSuccessfulSignInDateTime: "2026-03-02T08:30:00Z", lastSignInDateTime: null, lastNonInteractiveSignInDateTime: null };
    clock.advanceHours(1);
    const before = audits();
    const signedIn = await run("Southridge");
    expect(status(signedIn, "sessions-revoked")).toBe("pass");
    expect(signedIn.transitions).toEqual([]);
    expect(audits()).toBe(before); // nothing to explain: the audit log is not read
    user.signInSessionsValidFromDateTime = "2026-03-02T09:00:00Z";
    clock.advanceHours(1);
    const again = await run("Southridge");
    expect(labels(again.transitions)).toEqual(["early-warning:sessions-revoked|"]);
    expect(again.alerts[0]?.transitions[0]).toMatchObject({
      finding: { summary: "The account's sessions were revoked at 2026-03-02T09:00:00Z, after its last sign-in" },
    });
    expect(reason(again)).toMatch(/no entry on the account within 10 minutes of that time/);
  });

  it("a Microsoft-managed policy: warned far off, mailed once within MANAGED_POLICY_WARN_DAYS, not again past the date; enforced, a drift", async () => {
    const policy = sim.state.tenant(registered("First Up").tenantId).conditionalAccessPolicies.find((p) => p.displayName.startsWith("Microsoft-managed: "));
    if (!policy) throw new Error("no managed policy");
    delete policy.createdDaysAgo;
    policy.createdDateTime = "2026-02-01T00:00:00Z"; // enforceable from 2026-03-18; the clock says 2026-03-02
    const far = await run("First Up");
    expect(far.report.checks.find((c) => c.id === "managed-policies")?.summary).toMatch(
      /^Microsoft may enforce ".*" from 2026-03-18; it would block the account$/,
    );
    expect(far.transitions).toEqual([]);
    clock.advanceHours(24 * 3); // 2026-03-05: 13 days before
    expect(labels((await run("First Up")).transitions)).toEqual(["early-warning:managed-policies|"]);
    clock.advanceHours(24 * 14); // past the date: the same warning, not mailed again
    const past = await run("First Up");
    expect(past.report.checks.find((c) => c.id === "managed-policies")?.reason).toMatch(/That date has passed/);
    expect(past.transitions).toEqual([]);
    policy.state = "enabled"; // Microsoft switched it on
    clock.advanceHours(1);
    const enforced = await run("First Up");
    expect(status(enforced, "managed-policies")).toBe("pass");
    expect(labels(enforced.transitions)).toEqual([`drift-detected:conditional-access|${policy.id}`]);
  });

  it("failed sign-ins: one drift, its evidence grouped by cause", async () => {
    const first = await run("Wingtip");
    expect(labels(first.transitions)).toEqual(["drift-detected:sign-ins|"]);
    const finding = first.alerts[0]?.transitions[0];
    expect(finding && "finding" in finding ? finding.finding.evidence.map((l) => l.slice(0, l.indexOf(": "))) : []).toEqual([
      "Wrong password",
      "Wrong password",
      "The account is locked",
    ]);
  });
});
