/**
 * `tenants discover` end to end: 300 simulated customers behind one partner, read through the
 * partner's delegated (GDAP) tokens as the simulator mints them; the CSV it writes is then given to
 * `tenants import` against Azurite. Only the sign-in is supplied by the test (Entra's part); the
 * command, the Graph client and its retries, the CSV and the store are the product's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenCredential } from "@azure/identity";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { generatePartnerEstate, type PartnerEstateCustomer } from "../../sim/estate/partner.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { tenantsDiscoverCommand } from "../../cli/commands/tenants-discover.js";
import type { CliIo } from "../../cli/io.js";
import { runCliCaptured } from "../support/cli.js";
import { splitCsv } from "../../cli/tenants-csv.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";

const MSP = generatePartnerEstate({ customers: 300, seed: 26 });
let sim: RunningSimulator;
let azurite: RunningAzurite;
let dir: string;

beforeAll(async () => {
  [sim, azurite] = await Promise.all([startTestSimulator({ estate: MSP.estate }), startAzurite()]);
  dir = mkdtempSync(join(tmpdir(), "cli-discover-"));
});
afterAll(async () => {
  await Promise.all([sim?.stop(), azurite?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The partner's admin agent (or another of its users) signed in: a delegated token for whichever tenant is asked. */
function signedIn(userId: string): TokenCredential {
  return {
    getToken: async (_scopes, options) => ({
      token: sim.mintDelegatedToken(options?.tenantId ?? MSP.partnerTenantId, { homeTenantId: MSP.partnerTenantId, userId }),
      expiresOnTimestamp: Date.now() + 3_600_000,
    }),
  };
}

async function discover(args: string[], userId = MSP.adminAgentId): Promise<{ out: string; err: string; error?: Error }> {
  let out = "";
  let err = "";
  const io: CliIo = {
    env: { GRAPH_ENDPOINT: sim.url, AZURE_AUTHORITY_HOST: sim.url },
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    setExitCode: () => {},
  };
  const command = tenantsDiscoverCommand(io, { signIn: () => ({ credential: signedIn(userId), reachesCustomers: true }) }).exitOverride();
  try {
    await command.parseAsync(args, { from: "user" });
    return { out, err };
  } catch (error) {
    return { out, err, error: error as Error };
  }
}

function rows(file: string): Map<string, Record<string, string>> {
  const [header, ...records] = splitCsv(readFileSync(file, "utf8")).records;
  const names = header!.fields;
  return new Map(records.map((r) => [r.fields[0]!, Object.fromEntries(names.map((n, i) => [n, r.fields[i] ?? ""]))]));
}

// Cloud Application Administrator ("least") cannot grant Microsoft Graph app roles.
const CAN_CONSENT = new Set(["ga", "group", "several", "none"]);

describe("tenants discover → tenants import, 300 customers behind one partner", () => {
  it("proposes each account, marks the rest for a person, says what each relationship allows; import registers only the settled ones", async () => {
    const byScenario = (s: string) => MSP.customers.filter((c) => c.scenario === s);
    const forbidden = byScenario("ga")[0]!;
    const throttled = byScenario("least")[0]!;
    // The partner's lists are throttled once each; one customer's users read too; another refuses (403).
    sim.state.addFault({ tenantId: MSP.partnerTenantId, endpoint: "delegatedAdminCustomers", kind: "429", times: 1, retryAfterSeconds: 1 });
    sim.state.addFault({ tenantId: MSP.partnerTenantId, endpoint: "delegatedAdminRelationships", kind: "429", times: 1, retryAfterSeconds: 1 });
    sim.state.addFault({ tenantId: throttled.tenantId, endpoint: "users", kind: "429", times: 1, retryAfterSeconds: 1 });
    sim.state.addFault({ tenantId: forbidden.tenantId, endpoint: "users", kind: "403" });
    const file = join(dir, "estate.csv");
    const started = Date.now();
    const run = await discover(["--out", file, "--account-pattern", "svc-connect@*", "--concurrency", "16"]);
    expect(run.error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(sim.state.counters.throttled).toBe(3);
    // 300 customers fit one page of $top=300; 330 relationships (30 expired ones besides) take two: each list once more for its 429.
    expect(sim.state.counters.byEndpoint.delegatedAdminCustomers).toBe(2);
    expect(sim.state.counters.byEndpoint.delegatedAdminRelationships).toBe(3);
    expect(run.err).toMatch(/\[300\/300\] /);

    const csv = rows(file);
    expect(csv.size).toBe(300);
    const expectRow = (c: PartnerEstateCustomer, want: Partial<Record<string, string | RegExp>>) => {
      const row = csv.get(c.tenantId)!;
      expect(row, c.displayName).toBeDefined();
      for (const [k, v] of Object.entries(want)) {
        if (v instanceof RegExp) expect(row[k], `${c.displayName} ${k}`).toMatch(v);
        else expect(row[k], `${c.displayName} ${k}`).toBe(v);
      }
    };
    for (const c of MSP.customers) {
      expectRow(c, { displayName: c.displayName, canConsent: CAN_CONSENT.has(c.scenario) ? "yes" : /^no: needs Global Administrator/ });
      if (c === forbidden) expectRow(c, { account: "", decide: /^could not read the directory \(users: 403 Authorization_RequestDenied/ });
      else if (c.account) expectRow(c, { account: c.account, decide: "" });
    }
    for (const c of byScenario("several"))
      expectRow(c, { account: "", decide: /^several candidates \(svc-connect@.*\.com, svc-connect@.*\.onmicrosoft\.com\)/ });
    for (const c of byScenario("none")) expectRow(c, { account: "", decide: /is synced from on-premises; .* does not hold Global Administrator/ });
    for (const c of byScenario("no-read"))
      expectRow(c, { account: "", gdapRoles: "Helpdesk Administrator", decide: /^the relationship lacks Directory Readers/ });
    expectRow(byScenario("least")[1]!, { gdapRoles: "Cloud Application Administrator;Directory Readers" });
    // The expired Global Administrator relationship grants nothing: only the active Directory Readers one counts.
    expectRow(byScenario("expired")[0]!, { gdapRoles: "Directory Readers" });

    const undecided = 30 + 30 + 30 + 1;
    expect(run.out).toContain(`${300 - undecided} with a connection account, ${undecided} for a person to decide`);
    expect(run.out).toContain(`${300 - 120} whose relationship can consent, 120 cannot`);
    expect(run.out).toContain(`${forbidden.displayName} (${forbidden.tenantId}): could not read the directory`);

    const imported = await runCliCaptured(["tenants", "import", file], { AzureWebJobsStorage: azurite.connectionString });
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(`imported ${300 - undecided} tenant(s) from ${file}: ${300 - undecided} added`);
    expect(imported.out).toContain(`skipped ${undecided} tenant(s) waiting for a decision`);
    const several = byScenario("several")[0]!;
    expect(imported.out).toContain(`${several.displayName} (${several.tenantId}): several candidates`);
    const list = await runCliCaptured(["tenants", "list", "--json"], { AzureWebJobsStorage: azurite.connectionString });
    const registered = new Map((JSON.parse(list.out) as RegisteredTenant[]).map((t) => [t.tenantId, t.accounts[0]?.ref]));
    const settled = MSP.customers.filter((c) => c.account && c !== forbidden);
    expect(registered).toEqual(new Map(settled.map((c) => [c.tenantId, c.account])));
  }, 120_000);

  it("refuses a partner user outside the Admin agents group, and writes no CSV", async () => {
    sim.state.clearFaults();
    const file = join(dir, "outsider.csv");
    const run = await discover(["--out", file, "--account-pattern", "svc-connect@*"], MSP.outsiderId);
    expect(run.error?.message).toMatch(/delegated admin (customers|relationships): 403 Authorization_RequestDenied.*Admin agents group/);
    expect(existsSync(file)).toBe(false);
  });

  it("with a given partner token (the whole CLI, token from the environment): lists every customer, reads no directory, leaves each to decide", async () => {
    const token = sim.mintDelegatedToken(MSP.partnerTenantId, { homeTenantId: MSP.partnerTenantId, userId: MSP.adminAgentId });
    const file = join(dir, "token.csv");
    sim.state.resetCounters();
    const run = await runCliCaptured(["tenants", "discover", "--sign-in", "token", "--out", file, "--account-pattern", "svc-connect@*"], {
      GRAPH_ENDPOINT: sim.url,
      AZURE_AUTHORITY_HOST: sim.url,
      PARTNER_ACCESS_TOKEN: token,
    });
    expect(run.code).toBe(0);
    expect(run.out + run.err).not.toContain(token);
    expect(run.out).toContain("0 with a connection account, 300 for a person to decide");
    const csv = rows(file);
    expect(csv.size).toBe(300);
    expect([...csv.values()].every((r) => r.account === "" && (r.decide ?? "").startsWith("connection account not looked up"))).toBe(true);
    expect(sim.state.counters.byEndpoint.users).toBeUndefined();
  });

  it("signs in with a device code (MSAL against the simulator) and reads every customer with the one sign-in", async () => {
    const file = join(dir, "device-code.csv");
    sim.state.resetCounters();
    const run = await runCliCaptured(["tenants", "discover", "--partner-tenant", MSP.partnerTenantId, "--out", file, "--account-pattern", "svc-connect@*"], {
      GRAPH_ENDPOINT: sim.url,
      AZURE_AUTHORITY_HOST: sim.url,
    });
    expect(run.err).toContain("enter the code SIMCODE1");
    expect(run.code).toBe(0);
    expect(run.out).toContain("210 with a connection account, 90 for a person to decide");
    expect(rows(file).get(MSP.customers[0]!.tenantId)?.account).toBe(MSP.customers[0]!.account);
    // The device code and its grant; then one refresh-token grant per customer whose directory is read (all but the 30 that cannot be).
    expect(sim.state.counters.byEndpoint.token).toBe(2 + 270);
    expect(Object.keys(sim.state.counters.byTenant).length).toBe(1 + 270);
  });

  it("does not overwrite a CSV someone may have edited, unless told to", async () => {
    const file = join(dir, "estate.csv");
    const run = await discover(["--out", file, "--account-pattern", "svc-connect@*"]);
    expect(run.error?.message).toContain("exists: it may hold decisions");
  });
});
