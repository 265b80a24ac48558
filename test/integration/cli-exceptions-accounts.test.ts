/**
 * Exceptions for one monitored account through the real CLI, over Azurite (an instance of this
 * file's own: the CLI uses the product's table names), the simulator and the real runner: a tenant
 * with two accounts that one Conditional Access policy blocks both of. `--account` scopes an
 * exception to one account (its own id), a tenant-wide one of the same target covers the other,
 * the narrower wins where both cover, and list, remove and the audit trail address each.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { monitorPartition } from "../../lib/model/account.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import { runTenantCheck } from "../../lib/runner/index.js";
import { createStore, type Store } from "../../lib/store/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { cliEnv } from "./cli-helpers.js";
import { accountIdOf, blockingCaPolicy, runnerDeps, TestClock } from "./runner-helpers.js";
import { addSecondAccount, SECOND_ID, secondKey, secondUpn, twoAccountInput } from "./accounts-helpers.js";

let azurite: RunningAzurite;
let sim: RunningSimulator;
let store: Store;
let clock: TestClock;
let tenant: RegisteredTenant;

beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

const POLICY = "5ec0d000-0000-4000-8000-0000000000c3";
const FINDING = `conditional-access|${POLICY}`;
// Each test its own tenant: the Azurite tables are the file's, kept from test to test.
let NAME: string;
let t: string;
let SECOND: string;

beforeEach(() => {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
});

/** The sample tenant `name` with two accounts, both blocked by POLICY, checked once. */
async function twoAccountsBlocked(name: string): Promise<void> {
  [NAME, t, SECOND] = [name, sampleTenant(name).tenantId, secondKey(name)];
  addSecondAccount(sim, NAME);
  tenant = await store.tenants.put(twoAccountInput(NAME));
  const policy = blockingCaPolicy(POLICY, { displayName: "Block both", includeUsers: [accountIdOf(sim, tenant), SECOND_ID], controls: ["block"] });
  sim.state.tenant(t).conditionalAccessPolicies.push(policy);
  await check();
}

const cli = (argv: string[]): Promise<CliRun> => runCliCaptured(argv, { ...cliEnv(azurite, sim), DRIFT_OPERATOR: "ann@msp.example" }, clock.now);
const day = (n: number) => new Date(clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);
const approve = (...more: string[]) =>
  cli(["exceptions", "add", "--tenant", t, "--reason", "vendor appliance", "--owner", "Bob", "--reference", "CHG-9", "--expires", day(30), ...more]);

async function check(): Promise<void> {
  clock.advanceHours(1);
  await runTenantCheck(tenant, runnerDeps(sim, store, clock));
}

async function standingOf(key: string) {
  const f = (await store.monitor.readState(monitorPartition(t, key)))?.state.findings.find((x) => x.key === FINDING);
  return { state: f?.state, id: f?.standing?.kind === "excepted" ? f.standing.exceptionId : undefined };
}

describe("exceptions add --account", () => {
  it("covers that account alone; a tenant-wide one covers the other; where both cover, the account's wins; each is listed and removed by its id", async () => {
    await twoAccountsBlocked("Woodgrove");
    const scoped = await approve("--check", "conditional-access", "--account", secondUpn(NAME));
    expect(scoped).toMatchObject({ code: 0, out: expect.stringContaining(`id check:conditional-access@${SECOND}`) });
    await check();
    expect(await standingOf(SECOND)).toEqual({ state: "excepted", id: `check:conditional-access@${SECOND}` });
    expect(await standingOf("")).toEqual({ state: "open", id: undefined });
    const status = (await cli(["status", "--tenant", t])).out;
    expect(status).toMatch(new RegExp(`== connection account ${secondUpn(NAME)}[\\s\\S]*excepted for ${secondUpn(NAME)} only until`));

    // The policy of the second account's report, for every account: both covered, the second still by its own.
    expect((await approve("--policy", POLICY)).code).toBe(0);
    await check();
    expect(await standingOf("")).toEqual({ state: "excepted", id: `policy:${POLICY}` });
    expect(await standingOf(SECOND)).toEqual({ state: "excepted", id: `check:conditional-access@${SECOND}` });

    const list = await cli(["exceptions", "list", "--tenant", t]);
    expect(list.out).toMatch(new RegExp(`check:conditional-access@${SECOND}\\s+${secondUpn(NAME)}\\s+check conditional-access waived`));
    expect(list.out).toMatch(new RegExp(`policy:${POLICY}\\s+every account\\s+policy ${POLICY} may apply`));

    const removed = await cli(["exceptions", "remove", "--tenant", t, "--id", `check:conditional-access@${SECOND}`]);
    expect(removed).toMatchObject({ code: 0, out: expect.stringContaining(`Removed check:conditional-access@${SECOND}`) });
    await check();
    expect(await standingOf(SECOND)).toEqual({ state: "excepted", id: `policy:${POLICY}` });

    const audit = JSON.parse((await cli(["audit", "export", "--tenant", t, "--format", "json"])).out) as { action: string; subject: string }[];
    expect(audit.map((a) => [a.action, a.subject])).toEqual([
      ["exception-removed", `check:conditional-access@${SECOND}`],
      ["exception-approved", `policy:${POLICY}`],
      ["exception-approved", `check:conditional-access@${SECOND}`],
    ]);
    // The CSV's last column names the account of an exception for one account; empty for every account.
    const csv = (await cli(["audit", "export", "--tenant", t])).out.trim().split("\n");
    expect(csv.map((line) => line.split(",").at(-1))).toEqual(["account", secondUpn(NAME), "", secondUpn(NAME)]);
  });

  it("of a policy reads the account's own report, and the first account is named by its UPN too", async () => {
    await twoAccountsBlocked("Contoso");
    expect((await approve("--policy", POLICY, "--account", SECOND, "--controls", "block")).code).toBe(0);
    expect((await approve("--policy", POLICY, "--account", sampleTenant(NAME).account)).code).toBe(0);
    await check();
    expect(await standingOf(SECOND)).toEqual({ state: "excepted", id: `policy:${POLICY}@${SECOND}` });
    expect(await standingOf("")).toEqual({ state: "excepted", id: `policy:${POLICY}@first` });
    const list = JSON.parse((await cli(["exceptions", "list", "--tenant", t, "--json"])).out) as { id: string; accountKey?: string }[];
    expect(list.map((e) => [e.id, e.accountKey])).toEqual([
      [`policy:${POLICY}@${SECOND}`, SECOND],
      [`policy:${POLICY}@first`, ""],
    ]);
    // Removed by the target's id and the account, as it was approved.
    const removed = await cli(["exceptions", "remove", "--tenant", t, "--id", `policy:${POLICY}`, "--account", sampleTenant(NAME).account]);
    expect(removed).toMatchObject({ code: 0, out: expect.stringContaining(`Removed policy:${POLICY}@first`) });
    expect((await store.standings.getException(t, `policy:${POLICY}@${SECOND}`))?.value.withdrawn).toBeUndefined();
  });

  it.each([
    ["an account the tenant does not monitor", () => ["--tenant", t, "--account", "nobody@example.com"], /has no monitored account "nobody@example.com"/],
    ["an estate-wide template", () => ["--estate", "--account", secondUpn(NAME)], /estate-wide template covers every account/],
  ])("refuses %s as a usage error", async (_name, scope, error) => {
    await twoAccountsBlocked("Adatum");
    const add = ["exceptions", "add", ...scope(), "--check", "mfa", "--reason", "r", "--owner", "o", "--reference", "x", "--expires", day(30)];
    expect(await cli(add)).toMatchObject({ code: 64, err: expect.stringMatching(error) });
    const stored = await Promise.all([t, "~estate"].map((scope) => store.standings.listExceptions(scope)));
    expect(stored.flat().filter((e) => e.id.startsWith("check:mfa"))).toEqual([]);
  });
});
