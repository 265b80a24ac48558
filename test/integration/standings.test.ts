/**
 * Acknowledgements and approved exceptions end to end: the simulator's sample tenants drift, the
 * real runner decides over Azurite (an instance of this file's own: the CLI uses the product's
 * table names), and operators act through the real CLI. What would be mailed is the run's
 * transitions (the outbox row it commits).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GraphCaPolicy } from "../../sim/types.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import { createStore, type Store } from "../../lib/store/index.js";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { cliEnv } from "./cli-helpers.js";
import { accountIdOf, blockingCaPolicy, registered, registeredIn, runnerDeps, TestClock, transitionLabels as labels } from "./runner-helpers.js";

let azurite: RunningAzurite;
let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  // The estate-wide exceptions' TTL on the test's clock: runs an hour apart each read them afresh, as checks half an hour apart do.
  store = createStore({ kind: "connection-string", connectionString: azurite.connectionString }, { estateExceptions: { clock: () => clock.now().getTime() } });
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});
beforeEach(() => {
  sim.state.reset();
  clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
  sim.state.setClock(clock.now);
});

const cli = (argv: string[]): Promise<CliRun> => runCliCaptured(argv, { ...cliEnv(azurite, sim), DRIFT_OPERATOR: "ann@msp.example" }, clock.now);

async function run(name: string): Promise<string[]> {
  const outcome: RunOutcome = await runTenantCheck(await registeredIn(store, name), runnerDeps(sim, store, clock));
  return labels(outcome.transitions);
}

async function findingOf(name: string, key: string) {
  return (await store.monitor.readState(registered(name).tenantId))?.state.findings.find((f) => f.key === key);
}

const SD = "security-defaults|";
const day = (n: number) => new Date(clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);

const blockingPolicy = (id: string, includeUsers: string[], controls: string[]): GraphCaPolicy =>
  blockingCaPolicy(id, { displayName: "CA07 - Office only", includeUsers, controls });

function replacePolicy(policies: GraphCaPolicy[], next: GraphCaPolicy): void {
  policies.splice(
    policies.findIndex((p) => p.id === next.id),
    1,
    next,
  );
}

describe("acknowledging a finding", () => {
  it("stops reminders and is shown; its expiry re-alerts once; resolution still mails once; the audit trail has it", async () => {
    const t = registered("Woodgrove").tenantId;
    expect(await run("Woodgrove")).toEqual([]);
    sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceHours(1);
    expect(await run("Woodgrove")).toEqual([`drift-detected:${SD}`]);

    clock.advanceHours(1);
    const ack = await cli(["findings", "ack", "--tenant", t, "--check", "security-defaults", "--reason", "customer call Monday", "--for", "3d"]);
    expect(ack).toMatchObject({ code: 0, out: expect.stringContaining("Acknowledged security-defaults") });

    clock.advanceHours(24);
    expect(await run("Woodgrove")).toEqual([]);
    expect(await findingOf("Woodgrove", SD)).toMatchObject({
      state: "acknowledged",
      standing: { kind: "acknowledged", by: "ann@msp.example", reason: "customer call Monday" },
    });
    clock.advanceHours(24);
    expect(await run("Woodgrove")).toEqual([]);
    // Still a drift, shown as acknowledged: by whom, until when, why.
    const status = await cli(["status", "--tenant", t]);
    expect(status.out).toMatch(/Status: drifted[\s\S]*acknowledged by ann@msp\.example until 2026-03-05 10:00 UTC: customer/);
    expect((await cli(["status", "--json"])).out).toContain('"status": "drifted"');

    clock.advanceHours(24); // the acknowledgement's three days are over
    expect(await run("Woodgrove")).toEqual([`reminder:${SD}`]);
    clock.advanceHours(1);
    expect(await run("Woodgrove")).toEqual([]);

    expect((await cli(["findings", "ack", "--tenant", t, "--check", "security-defaults", "--reason", "again", "--for", "31d"])).code).toBe(64);
    expect((await cli(["findings", "ack", "--tenant", t, "--check", "security-defaults", "--reason", "again"])).code).toBe(0);
    sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = false;
    clock.advanceHours(1);
    expect(await run("Woodgrove")).toEqual([`resolved:${SD}`]);
    clock.advanceHours(1);
    expect(await run("Woodgrove")).toEqual([]);

    const json = await cli(["audit", "export", "--tenant", t, "--format", "json"]);
    const entries = JSON.parse(json.out) as { action: string; by: string; before: unknown; after: { until: string } | null }[];
    expect(entries.map((e) => e.action)).toEqual(["ack", "ack"]);
    expect(entries[0]?.before).not.toBeNull(); // the renewal shows what it replaced
    expect(entries[1]).toMatchObject({ by: "ann@msp.example", before: null });
    const csv = await cli(["audit", "export", "--format", "csv"]);
    expect(csv.out.split("\n")[0]).toBe("at,by,scope,action,subject,before,after,account");
    expect(csv.out).toContain(`${t},ack,security-defaults|`);
  });

  it("re-alerts once when the finding changes (the policy now blocks for another cause); two racing acknowledgements: one wins", async () => {
    const t = registered("Tailspin Toys").tenantId;
    const tenant = sim.state.tenant(t);
    const policyId = "d7f399a0-0000-4000-8000-000000000071";
    const key = `conditional-access|${policyId}`;
    await run("Tailspin Toys");
    tenant.conditionalAccessPolicies.push(blockingPolicy(policyId, ["All"], ["mfa"]));
    clock.advanceHours(1);
    expect(await run("Tailspin Toys")).toEqual([`drift-detected:${key}`]);

    const args = (reason: string) => ["findings", "ack", "--tenant", t, "--check", "conditional-access", "--subject", policyId, "--reason", reason];
    const racing = await Promise.all([cli(args("first")), cli(args("second"))]);
    expect(racing.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(racing.find((r) => r.code === 1)?.err).toContain("changed by someone else meanwhile");

    clock.advanceHours(25);
    expect(await run("Tailspin Toys")).toEqual([]);
    replacePolicy(tenant.conditionalAccessPolicies, blockingPolicy(policyId, [accountIdOf(sim, registered("Tailspin Toys"))], ["mfa"]));
    clock.advanceHours(1);
    expect(await run("Tailspin Toys")).toEqual([`reminder:${key}`]);
    clock.advanceHours(1);
    expect(await run("Tailspin Toys")).toEqual([]);
  });
});

describe("an approved exception", () => {
  it("turns a drift into an excepted finding, notices its coming expiry once, and is a drift again when it expires, mailed once", async () => {
    const t = registered("Adatum").tenantId;
    await run("Adatum");
    sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceHours(1);
    expect(await run("Adatum")).toEqual([`drift-detected:${SD}`]);

    const add = ["exceptions", "add", "--tenant", t, "--check", "security-defaults", "--reason", "moved to a workload identity", "--owner", "Bob"];
    expect((await cli([...add, "--reference", "CHG-42", "--expires", day(400)])).code).toBe(64);
    expect(await cli([...add, "--reference", "CHG-42", "--expires", day(20)])).toMatchObject({ code: 0 });
    clock.advanceHours(1);
    expect(await run("Adatum")).toEqual([]);
    expect(await findingOf("Adatum", SD)).toMatchObject({ state: "excepted", standing: { kind: "excepted", owner: "Bob", reference: "CHG-42" } });
    // No drift, still shown with what allows it.
    const status = await cli(["status", "--tenant", t]);
    expect(status.out).toMatch(/Status: compliant[\s\S]*excepted until 2026-03-22, moved to a workload identity, owner Bob/);

    clock.advanceHours(7 * 24); // within 14 days of the expiry
    expect(await run("Adatum")).toEqual([`early-warning:exception|${t}/check:security-defaults`]);
    clock.advanceHours(24);
    expect(await run("Adatum")).toEqual([]);

    clock.advanceHours(13 * 24); // expired
    expect(await run("Adatum")).toEqual([`drift-detected:${SD}`, `early-warning:exception|${t}/check:security-defaults`]);
    clock.advanceHours(1);
    expect(await run("Adatum")).toEqual([]);

    const audit = JSON.parse((await cli(["audit", "export", "--tenant", t, "--format", "json"])).out) as { action: string; after: { owner: string } }[];
    expect(audit).toMatchObject([{ action: "exception-approved", after: { owner: "Bob" } }]);
  });

  it("of a policy: still watched, so a change of its controls is a drift", async () => {
    const t = registered("Contoso").tenantId;
    const tenant = sim.state.tenant(t);
    const policyId = "d7f399a0-0000-4000-8000-000000000072";
    const key = `conditional-access|${policyId}`;
    await run("Contoso");
    tenant.conditionalAccessPolicies.push(blockingPolicy(policyId, ["All"], ["block"]));
    clock.advanceHours(1);
    expect(await run("Contoso")).toEqual([`drift-detected:${key}`]);

    const add = ["exceptions", "add", "--tenant", t, "--policy", policyId, "--reason", "location lock", "--owner", "Bob", "--reference", "CHG-7"];
    expect((await cli([...add, "--expires", day(90)])).code).toBe(0);
    clock.advanceHours(1);
    expect(await run("Contoso")).toEqual([]);
    expect(await findingOf("Contoso", key)).toMatchObject({ state: "excepted" });

    replacePolicy(tenant.conditionalAccessPolicies, blockingPolicy(policyId, ["All"], ["mfa"]));
    clock.advanceHours(1);
    expect(await run("Contoso")).toEqual([`drift-detected:${key}`]);
  });

  it("as an estate-wide template covers every tenant until it is removed; removing it is a drift again, and audited", async () => {
    const t = registered("Lucerne Publishing").tenantId;
    await run("Lucerne Publishing");
    sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    const add = ["exceptions", "add", "--estate", "--check", "security-defaults", "--reason", "estate standard", "--owner", "MSP", "--reference", "POL-1"];
    expect((await cli([...add, "--expires", day(180)])).code).toBe(0);
    expect((await cli([...add, "--tenant", t, "--expires", day(180)])).code).toBe(64);
    clock.advanceHours(1);
    expect(await run("Lucerne Publishing")).toEqual([]);
    expect(await findingOf("Lucerne Publishing", SD)).toMatchObject({ state: "excepted", standing: { scope: "~estate", owner: "MSP" } });

    const removed = await cli(["exceptions", "remove", "--estate", "--id", "check:security-defaults", "--by", "bob@msp.example"]);
    expect(removed).toMatchObject({ code: 0, out: expect.stringContaining("Removed check:security-defaults of every tenant") });
    expect((await cli(["exceptions", "remove", "--estate", "--id", "check:security-defaults"])).code).toBe(64);
    clock.advanceHours(1);
    expect(await run("Lucerne Publishing")).toEqual([`drift-detected:${SD}`]);

    const audit = JSON.parse((await cli(["audit", "export", "--tenant", t, "--format", "json"])).out) as { action: string; by: string; scope: string }[];
    expect(audit).toMatchObject([
      { action: "exception-removed", by: "bob@msp.example", scope: "~estate" },
      { action: "exception-approved", by: "ann@msp.example", scope: "~estate" },
    ]);
  });
});
