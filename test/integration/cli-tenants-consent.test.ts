/**
 * `tenants discover` then `tenants consent` end to end: 60 simulated customers behind one partner (each row of
 * sim/estate/partner.ts's table six times; the 300-customer pages are cli-tenants-discover.test.ts's),
 * consented through the partner's delegated (GDAP) tokens as the simulator mints them. Only the
 * sign-in (Entra's part), the crash (an abort) and the wait between retries are the test's; the
 * commands, the Graph client and its retries, and the files are the product's.
 */
import { REMEDIATION_PERMISSIONS } from "../../lib/remediation/consent.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenCredential } from "@azure/identity";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { generatePartnerEstate } from "../../sim/estate/partner.js";
import { tenantsDiscoverCommand } from "../../cli/commands/tenants-discover.js";
import { tenantsConsentCommand } from "../../cli/commands/tenants-consent.js";
import type { CliIo } from "../../cli/io.js";
import { requiredPermissions } from "../../lib/graph/permissions.js";
import { runCliCaptured } from "../support/cli.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";

const CUSTOMERS = 60;
const MSP = generatePartnerEstate({ customers: CUSTOMERS, seed: 26 });
const APP_ID = "5b0f9f7e-3c1d-4e2a-9b8c-7d6e5f4a3b21";
/** Relationships with Global Administrator or Privileged Role Administrator (sim/estate/partner.ts). */
const GRANTING = new Set(["ga", "group", "several", "none"]);
const DELAY = 2;
let sim: RunningSimulator;
let azurite: RunningAzurite;
let dir: string;
let csv: string;

beforeAll(async () => {
  [sim, azurite] = await Promise.all([startTestSimulator({ estate: MSP.estate }), startAzurite()]);
  dir = mkdtempSync(join(tmpdir(), "cli-consent-"));
  csv = join(dir, "estate.csv");
});
afterAll(async () => {
  await Promise.all([sim?.stop(), azurite?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const signedIn: TokenCredential = {
  getToken: async (_scopes, options) => ({
    token: sim.mintDelegatedToken(options?.tenantId ?? MSP.partnerTenantId, { homeTenantId: MSP.partnerTenantId, userId: MSP.adminAgentId }),
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

async function cli(
  make: (io: CliIo) => { parseAsync(args: string[], o: { from: "user" }): Promise<unknown> },
  args: string[],
  onErr?: (text: string) => void,
): Promise<{ out: string; err: string; code: number | undefined; error?: Error }> {
  let out = "";
  let err = "";
  let code: number | undefined;
  const io: CliIo = {
    env: { GRAPH_ENDPOINT: sim.url, AZURE_AUTHORITY_HOST: sim.url },
    stdout: (t) => (out += t),
    stderr: (t) => {
      err += t;
      onErr?.(t);
    },
    setExitCode: (c) => (code = c),
  };
  try {
    await make(io).parseAsync(args, { from: "user" });
    return { out, err, code };
  } catch (error) {
    return { out, err, code, error: error as Error };
  }
}

const signIn = () => ({ credential: signedIn, reachesCustomers: true });
const consent = (args: string[], signal?: AbortSignal, onErr?: (t: string) => void) =>
  cli(
    (io) => tenantsConsentCommand(io, { signIn, retryDelayMs: 5, ...(signal ? { signal } : {}) }).exitOverride(),
    ["--app-id", APP_ID, "--concurrency", "16", ...args],
    onErr,
  );
/** The app itself (client credentials against the simulator), as `check` and `run` sign in. */
const appEnv = () => ({ AZURE_CLIENT_ID: APP_ID, AZURE_CLIENT_SECRET: "test-only", AZURE_AUTHORITY_HOST: sim.url, GRAPH_ENDPOINT: sim.url });
const writes = () => (sim.state.counters.byEndpoint.createServicePrincipal ?? 0) + (sim.state.counters.byEndpoint.assignAppRole ?? 0);

describe(`tenants discover → tenants consent, ${CUSTOMERS} customers behind one partner`, () => {
  const required = requiredPermissions();
  const granting = MSP.customers.filter((c) => GRANTING.has(c.scenario));
  const lacking = MSP.customers.filter((c) => !GRANTING.has(c.scenario));

  it("discovers the estate", async () => {
    const args = ["--out", csv, "--account-pattern", "svc-connect@*", "--concurrency", "16"];
    const run = await cli((io) => tenantsDiscoverCommand(io, { signIn }).exitOverride(), args);
    expect(run.error).toBeUndefined();
    // New principals stay invisible to two assignments; one tenant's assignments are throttled once.
    for (const c of granting.slice(0, 20)) sim.state.findTenant(c.tenantId)!.servicePrincipalDelay = DELAY;
    sim.state.addFault({ tenantId: granting[25]!.tenantId, endpoint: "assignAppRole", kind: "429", times: 1, retryAfterSeconds: 1 });
  }, 60_000);

  it("--dry-run says what it would grant and writes nothing", async () => {
    sim.state.resetCounters();
    const run = await consent(["--from", csv, "--progress", join(dir, "dry.jsonl"), "--dry-run"]);
    expect(run.error).toBeUndefined();
    expect(writes()).toBe(0);
    expect(run.out).toContain(`dry run: ${granting.length} would be granted, 0 already, ${lacking.length} lack the role, 0 failed`);
    expect(run.out).toMatch(/would grant +create the app's service principal; User\.Read\.All/);
  }, 60_000);

  it("a crash halfway, then a rerun, finish the job without a duplicate assignment", async () => {
    sim.state.resetCounters();
    const progress = join(dir, "progress.jsonl");
    const crash = new AbortController();
    let ticks = 0;
    const first = await consent(["--from", csv, "--progress", progress], crash.signal, (t) => {
      if (new RegExp(`^\\[\\s*\\d+/${CUSTOMERS}\\]`).test(t) && ++ticks === CUSTOMERS / 3) crash.abort(new Error("killed"));
    });
    expect(first.error?.message).toBe("killed");
    const consentedBefore = granting.filter((c) => (sim.state.findTenant(c.tenantId)!.grantedPermissions ?? []).length === required.length).length;
    expect(consentedBefore).toBeGreaterThan(0);
    expect(consentedBefore).toBeLessThan(granting.length);

    const second = await consent(["--from", csv, "--progress", progress]);
    expect(second.error).toBeUndefined();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(new RegExp(`\\d+ consented, \\d+ already, ${lacking.length} lack the role, 0 failed`));
    for (const c of granting) expect([...(sim.state.findTenant(c.tenantId)!.grantedPermissions ?? [])].sort(), c.displayName).toEqual([...required].sort());
    for (const c of lacking) {
      expect(sim.state.findTenant(c.tenantId)!.appServicePrincipal, c.displayName).toBeNull();
      expect(second.out).toMatch(new RegExp(`${c.tenantId} +lacks role +the relationship lacks Privileged Role Administrator`));
    }
    // Each principal created once; each permission assigned once, plus the refusals while new principals were invisible
    // and the one throttled answer: a duplicate would show as one more request (and a 409).
    expect(sim.state.counters.byEndpoint.createServicePrincipal).toBe(granting.length);
    expect(sim.state.counters.byEndpoint.assignAppRole).toBe(granting.length * required.length + 20 * DELAY + 1);
  }, 120_000);

  it("a second run changes nothing: skipped by the progress file, or, without it, read and left as it is", async () => {
    sim.state.resetCounters();
    const again = await consent(["--from", csv, "--progress", join(dir, "progress.jsonl")]);
    expect(again.out).toContain(`0 consented, ${granting.length} already, ${lacking.length} lack the role, 0 failed`);
    expect(sim.state.counters.byEndpoint.servicePrincipals).toBeUndefined();
    expect(writes()).toBe(0);

    const fresh = await consent(["--from", csv, "--progress", join(dir, "fresh.jsonl")]);
    expect(fresh.out).toContain(`0 consented, ${granting.length} already, ${lacking.length} lack the role, 0 failed`);
    expect(sim.state.counters.byEndpoint.servicePrincipals).toBeGreaterThan(0);
    expect(writes()).toBe(0);
  }, 120_000);

  it("takes a --tenant list, and refuses what is not a tenant id", async () => {
    const one = granting[0]!;
    const run = await consent(["--tenant", one.tenantId, "--progress", join(dir, "one.jsonl")]);
    expect(run.out).toContain("0 consented, 1 already");
    const bad = await consent(["--tenant", "contoso.com", "--progress", join(dir, "bad.jsonl")]);
    expect(bad.error?.message).toContain("--tenant takes tenant ids");
  }, 60_000);
});

describe("after consent, the app's own check", () => {
  const check = async (c: { tenantId: string; account?: string }) => {
    const run = await runCliCaptured(["check", "--tenant", c.tenantId, "--account", c.account ?? "", "--json"], appEnv());
    const checks = (JSON.parse(run.out) as { checks: { id: string; status: string }[] }).checks;
    return checks.find((r) => r.id === "consent")?.status;
  };

  it("passes the consent check where consent was granted, and not where the relationship lacked the role", async () => {
    sim.state.clearFaults();
    const ga = MSP.customers.find((c) => c.scenario === "ga" && c.account)!;
    const reader = MSP.customers.find((c) => c.scenario === "reader" && c.account)!;
    expect(await check(ga)).toBe("pass");
    const readerConsent = await check(reader);
    expect(readerConsent).toBeDefined();
    expect(readerConsent).not.toBe("pass");
  }, 60_000);
});

describe("tenants import, then run", () => {
  it("checks every imported tenant; only those consented have their permissions", async () => {
    const env = { AzureWebJobsStorage: azurite.connectionString, ...appEnv() };
    expect((await runCliCaptured(["tenants", "import", csv], env)).code).toBe(0);
    const run = await runCliCaptured(["run", "--json", "--concurrency", "16"], env);
    const rows = (JSON.parse(run.out) as { tenants: { tenantId: string; status: string; warns: number }[] }).tenants;
    const byId = new Map(rows.map((r) => [r.tenantId, r]));
    const imported = MSP.customers.filter((c) => c.account);
    // Imported: every settled row of the CSV (a person decides the rest).
    expect(rows.length).toBe((CUSTOMERS * 7) / 10);
    for (const c of imported.filter((x) => byId.has(x.tenantId))) {
      const row = byId.get(c.tenantId)!;
      expect(row.status, c.displayName).not.toBe("error");
      // A tenant whose relationship could not grant has no permission: its checks cannot verify.
      // The consent check warns where a permission is missing: only where the relationship could not grant.
      if (GRANTING.has(c.scenario)) expect(row, c.displayName).toMatchObject({ status: "compliant", warns: 0 });
      else expect(row.warns, c.displayName).toBeGreaterThan(0);
    }
    expect(run.code).toBe(0);
  }, 300_000);
});

describe("a permission a later version needs", () => {
  it("is planned by --dry-run, granted by `tenants consent --tenant`, and the consent check then passes", async () => {
    sim.state.clearFaults();
    // A tenant consented to the earlier set, and not yet checked in this process (the grants are read once a day per process).
    const t = MSP.customers.find((c) => c.scenario === "group" && c.account)!;
    const required = requiredPermissions();
    sim.state.tenant(t.tenantId).grantedPermissions = required.filter((p) => p !== "Domain.Read.All");

    const plan = await consent(["--tenant", t.tenantId, "--progress", join(dir, "upgrade-dry.jsonl"), "--dry-run"]);
    expect(plan.out).toMatch(/would grant/);
    expect(plan.out).toContain("Domain.Read.All");
    expect(sim.state.tenant(t.tenantId).grantedPermissions).not.toContain("Domain.Read.All");

    const granted = await consent(["--tenant", t.tenantId, "--progress", join(dir, "upgrade.jsonl")]);
    expect(granted.out).toContain("1 consented, 0 already");
    expect([...(sim.state.tenant(t.tenantId).grantedPermissions ?? [])].sort()).toEqual([...required].sort());

    const run = await runCliCaptured(["check", "--tenant", t.tenantId, "--account", t.account ?? "", "--json"], appEnv());
    const checks = (JSON.parse(run.out) as { checks: { id: string; status: string }[] }).checks;
    expect(checks.find((r) => r.id === "consent")?.status).toBe("pass");
  }, 120_000);
});

describe("the remediation app, for an MSP that opts in", () => {
  it("`tenants consent --remediation` gives the second app its write permissions, and the monitoring app nothing more", async () => {
    sim.state.clearFaults();
    const REMEDIATION_APP_ID = "6b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    const t = MSP.customers.find((c) => c.scenario === "ga" && c.account)!;
    const tenant = sim.state.tenant(t.tenantId);
    // The tenant's directory knows the app (its registration is multi-tenant), nothing granted yet.
    tenant.appGrants = { ...tenant.appGrants, [REMEDIATION_APP_ID]: [] };
    const monitoring = [...grantedPermissionsOf(t.tenantId)];
    const run = await cli(
      (io) => tenantsConsentCommand(io, { signIn, retryDelayMs: 5 }).exitOverride(),
      ["--remediation", "--app-id", REMEDIATION_APP_ID, "--tenant", t.tenantId, "--progress", join(dir, "remediation.jsonl")],
    );
    expect(run.error).toBeUndefined();
    expect(run.out).toContain("1 consented");
    expect([...(tenant.appGrants?.[REMEDIATION_APP_ID] ?? [])].sort()).toEqual([...REMEDIATION_PERMISSIONS].sort());
    expect(grantedPermissionsOf(t.tenantId)).toEqual(monitoring);
    // Granted once: a second run finds every permission there (the Fix button reads them from its tokens).
    const again = await cli(
      (io) => tenantsConsentCommand(io, { signIn, retryDelayMs: 5 }).exitOverride(),
      ["--remediation", "--app-id", REMEDIATION_APP_ID, "--tenant", t.tenantId, "--progress", join(dir, "remediation-again.jsonl")],
    );
    expect(again.out).toContain("1 already");
  }, 60_000);
});

function grantedPermissionsOf(tenantId: string): readonly string[] {
  return sim.state.tenant(tenantId).grantedPermissions ?? [];
}
