/**
 * `drift-monitor check` against a running simulator, for every sample tenant: the whole JSON
 * report (kept as a reviewed file per tenant, times normalised), the exit code, and the human
 * view. Most runs go through the CLI in-process; a few spawn the real bin to prove the wiring.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { SAMPLE_TENANTS, sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { runCliCaptured as cli } from "../support/cli.js";
import { CHECK_IDS, type CheckId } from "../../lib/checks/registry.js";
import type { CheckStatus, Report } from "../../lib/model/index.js";
import { twinTenant } from "../support/twin.js";

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/drift-monitor.js", import.meta.url));

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());

function envFor(tenantId: string): Record<string, string> {
  return { GRAPH_ENDPOINT: sim.url, GRAPH_ACCESS_TOKEN: sim.mintToken(tenantId) };
}

// Times move with the clock; everything else in a report is fixed by the sample estate.
function normalise(report: Report): unknown {
  // Dates too: the sample estate's password expiry and managed-policy dates are relative to the clock.
  const text = JSON.stringify(report).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");
  return JSON.parse(text.replace(/\b\d{4}-\d\d-\d\d\b/g, "<date>"));
}

const EXIT = { compliant: 0, drifted: 1, unknown: 2 } as const;

// What each scenario must show, beyond the stored report: the check that carries the drift.
const DECISIVE: Record<string, Partial<Record<CheckId, CheckStatus>>> = {
  Woodgrove: { "conditional-access": "pass", "sign-ins": "pass" },
  Fabrikam: { "conditional-access": "fail" },
  Northwind: { "conditional-access": "fail" },
  Adatum: { "conditional-access": "warn" },
  Litware: { "security-defaults": "fail" },
  Proseware: { "per-user-mfa": "fail" },
  "Alpine Ski": { account: "fail" },
  "Trey Research": { "conditional-access": "unknown", "security-defaults": "unknown" },
  Contoso: { account: "pass", "conditional-access": "pass" },
  // Every failure of Fourth Coffee's account is a non-interactive sign-in (a token refresh), which
  // Graph's beta list returns only when asked for by event type: drifted by the sign-ins alone.
  "Fourth Coffee": {
    account: "pass",
    "admin-role": "pass",
    "security-defaults": "pass",
    "per-user-mfa": "pass",
    "conditional-access": "pass",
    "mfa-registration": "pass",
    "sign-ins": "fail",
  },
  // Each way the next sign-in can fail (password, forced change, user risk, …), its own tenant.
  "Margie's Travel": { "password-expiry": "fail", "password-change-forced": "pass" },
  "Tasmanian Traders": { "password-change-forced": "fail", "password-expiry": "pass" },
  "Humongous Insurance": { "user-risk": "warn", "conditional-access": "fail" },
  "Southridge Video": { "sessions-revoked": "warn" },
  "First Up Consultants": { "managed-policies": "warn", "conditional-access": "warn" },
  "Wingtip Toys": { "sign-ins": "fail", account: "pass" },
  // Without P2 the user risk is skipped; without P1 the last sign-in too.
  Tailspin: { "conditional-access": "warn", "user-risk": "skipped", "sessions-revoked": "pass" },
  Lucerne: { "user-risk": "skipped", "sessions-revoked": "skipped" },
};

// Each tenant's check waits on its own Graph budgets (1 CA request/s per tenant), not on a core: run them at once.
// Concurrent tests take `expect` from their context, so each snapshot and assertion is the right test's.
describe.concurrent("drift-monitor check --json, every sample tenant", () => {
  it.for(SAMPLE_TENANTS.map((t) => [t.displayName, t] as const))("%s", async ([, tenant], { expect }) => {
    const { code, out, err } = await cli(["check", "--tenant", tenant.tenantId, "--account", tenant.account, "--json"], envFor(tenant.tenantId));
    expect(err).toBe("");
    const report = JSON.parse(out) as Report;
    expect(report.schemaVersion).toBe(1);
    expect(report.tenantId).toBe(tenant.tenantId);
    expect(report.status).toBe(tenant.expected);
    expect(code).toBe(EXIT[tenant.expected]);
    // Every check, in the registry's order (a check added to the registry is expected here without an edit).
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    const decisive = Object.entries(DECISIVE).find(([k]) => tenant.displayName.includes(k))?.[1] ?? {};
    for (const [id, status] of Object.entries(decisive)) {
      expect(report.checks.find((c) => c.id === id)?.status, `${tenant.displayName} ${id}`).toBe(status);
    }
    const slug = tenant.displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    await expect(JSON.stringify(normalise(report), null, 2) + "\n").toMatchFileSnapshot(`./reports/${slug}.json`);
  });
});

describe("drift-monitor check, human output and usage errors", () => {
  it("MANAGED_POLICY_WARN_DAYS reaches the check: 5 days ahead is soon under 14, not under 2", async () => {
    const t = sampleTenant("First Up");
    const summary = async (days: string) => {
      const tenantId = twinTenant(sim, t.tenantId);
      const { out } = await cli(["check", "--tenant", tenantId, "--account", t.account, "--json"], { ...envFor(tenantId), MANAGED_POLICY_WARN_DAYS: days });
      return (JSON.parse(out) as Report).checks.find((c) => c.id === "managed-policies")?.summary;
    };
    expect(await summary("14")).toMatch(/^Microsoft will enforce soon: /);
    expect(await summary("2")).toMatch(/^Microsoft may enforce ".*" from \d{4}-\d\d-\d\d; it would block the account$/);
  });

  it("names the blocking policy, how the account is included, and the fix", async () => {
    const t = sampleTenant("Fabrikam");
    const { code, out } = await cli(["check", "--tenant", t.tenantId, "--account", t.account], envFor(t.tenantId));
    expect(code).toBe(1);
    expect(out).toMatch(/conditional-access\s+FAIL\s+Breaks now\s+1 policy blocks the account/);
    expect(out).toContain("included via group");
    expect(out).toContain("Users → Exclude");
    expect(out).toContain("https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/");
    expect(out).toContain("DRIFTED");
  });

  it("says once why a tenant whose consent was revoked cannot be verified", async () => {
    const t = sampleTenant("Trey Research");
    const { code, out } = await cli(["check", "--tenant", t.tenantId, "--account", t.account], envFor(t.tenantId));
    expect(code).toBe(2);
    expect(out).toContain("403");
    expect(out.match(/User\.Read\.All/g)?.length).toBe(1);
  });

  it.each([
    [["check", "--tenant", "contoso", "--account", "svc@contoso.com"], /not a tenant id/],
    [["check", "--tenant", "d7f00000-0000-4000-8000-000000000001", "--account", "svc connect"], /neither a user principal name/],
    [
      ["check", "--tenant", "d7f00000-0000-4000-8000-000000000001", "--account", "svc@contoso.com", "--profile", "lenient"],
      /profile "lenient" is unknown: use one of strict, security-defaults-enrolled/,
    ],
    [["check", "--tenant", "d7f00000-0000-4000-8000-000000000001"], /required option '--account/],
    [["chek"], /unknown command/],
  ])("exits 64 for %j", async (argv, message) => {
    const { code, err } = await cli(argv, envFor("d7f00000-0000-4000-8000-000000000001"));
    expect(code).toBe(64);
    expect(err).toMatch(message);
  });

  it("exits 64 naming the setting and its range when SIGNIN_LOOKBACK_HOURS is out of range", async () => {
    const t = sampleTenant("Woodgrove");
    const { code, err } = await cli(["check", "--tenant", t.tenantId, "--account", t.account], { ...envFor(t.tenantId), SIGNIN_LOOKBACK_HOURS: "1e20" });
    expect(code).toBe(64);
    expect(err).toContain('SIGNIN_LOOKBACK_HOURS must be a whole number from 1 to 720, got "1e20"');
  });

  it("exits 64 naming the setting when no Graph credential is configured", async () => {
    const t = sampleTenant("Woodgrove");
    const { code, err } = await cli(["check", "--tenant", t.tenantId, "--account", t.account], { GRAPH_ENDPOINT: sim.url });
    expect(code).toBe(64);
    expect(err).toMatch(/GRAPH_ACCESS_TOKEN/);
  });
});

describe("the drift-monitor bin", () => {
  it.each([
    ["Woodgrove", 0],
    ["Fabrikam", 1],
    ["Trey Research", 2],
  ] as const)("%s exits %i", async (name, expected) => {
    const t = sampleTenant(name);
    const run = exec(process.execPath, [BIN, "check", "--tenant", t.tenantId, "--account", t.account, "--json"], {
      env: { ...process.env, ...envFor(t.tenantId) },
    });
    const code = await run.then(
      () => 0,
      (e: { code?: number }) => e.code ?? -1,
    );
    expect(code).toBe(expected);
  });

  it("exits 64 on a bad tenant id", async () => {
    const code = await exec(process.execPath, [BIN, "check", "--tenant", "x", "--account", "a@b.com"], { env: process.env }).then(
      () => 0,
      (e: { code?: number; stderr?: string }) => {
        expect(e.stderr).toMatch(/not a tenant id/);
        return e.code ?? -1;
      },
    );
    expect(code).toBe(64);
  });
});
