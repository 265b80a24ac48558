/**
 * runTenantCheck with two monitored accounts (Azurite, the simulator): each account is recorded in
 * its own partition and transaction, once per run id — a message delivered twice records nothing the
 * second time and reads nothing from Graph, and a crash between the two accounts' records leaves
 * the redelivery to collect and record only the account that is missing. Whether every sign-in of an
 * account is read follows its profile, not its kind.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { collectAccounts, type AccountsCollectResult } from "../../lib/graph/collect-accounts.js";
import { monitorPartition } from "../../lib/model/account.js";
import { registeredTenantSchema, type RegisteredTenant } from "../../lib/model/tenant.js";
import { runTenantCheck, type RunnerStore } from "../../lib/runner/index.js";
import { StoreError, type Store } from "../../lib/store/index.js";
import type { RunWrite } from "../../lib/store/monitor/runs.js";
import { sampleTenant, type RunningSimulator } from "../../sim/testing.js";
import { accountIdOf, blockingCaPolicy, runnerDeps, useSimulatorAndStore, type TestClock } from "./runner-helpers.js";
import { addSecondAccount, SECOND_ID, secondKey, twoAccountInput } from "./accounts-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
let store: Store;
useSimulatorAndStore("Accts", (s, c, st) => ((sim = s), (clock = c), (store = st)));

const woodgrove = sampleTenant("Woodgrove");
let tenant: RegisteredTenant;
const FIRST = woodgrove.tenantId;
const POLICY = "5ec0d000-0000-4000-8000-0000000000d3";
const second = (): string => monitorPartition(woodgrove.tenantId, secondKey("Woodgrove"));

beforeEach(async () => {
  addSecondAccount(sim, "Woodgrove");
  tenant = await store.tenants.put(twoAccountInput("Woodgrove"));
  expect(registeredTenantSchema.parse(tenant).accounts).toHaveLength(2);
});

/** The store, with each commit's partition counted and the second account's next `failSecond` commits failing as a crash would. */
function watched(failSecond = 0): { store: RunnerStore; commits: string[] } {
  const commits: string[] = [];
  let failures = failSecond;
  const monitor: RunnerStore["monitor"] = {
    readState: (p) => store.monitor.readState(p),
    getSnapshot: (p, id) => store.monitor.getSnapshot(p, id),
    deleteSnapshotsBefore: (p, id) => store.monitor.deleteSnapshotsBefore(p, id),
    commitRun: async (write: RunWrite) => {
      if (write.partition === second() && failures > 0) {
        failures--;
        throw new StoreError("the worker stopped between the two accounts", new Error("crash"));
      }
      const r = await store.monitor.commitRun(write);
      commits.push(write.partition);
      return r;
    },
  };
  return { store: { ...store, monitor }, commits };
}

/** Deps whose collection records which accounts it was asked for. */
function deps(runner: RunnerStore, asked: string[][]) {
  return runnerDeps(sim, runner, clock, {
    settings: { ...runnerDeps(sim, runner, clock).settings, registrationReportHours: 24 },
    collectAccounts: (client, target, options) => {
      asked.push(target.accounts.map((a) => a.key));
      return collectAccounts(client, target, options);
    },
  });
}

describe("runTenantCheck: two accounts, one run id", () => {
  it("a message delivered twice records each account once, and the repeat reads nothing from Graph", async () => {
    const { store: runner, commits } = watched();
    const asked: string[][] = [];
    const first = await runTenantCheck(tenant, deps(runner, asked), { runId: "m1" });
    expect(first.accounts.map((a) => [a.accountKey, a.repeated])).toEqual([
      ["", false],
      [secondKey("Woodgrove"), false],
    ]);
    const requests = sim.state.counters.httpRequests;
    const again = await runTenantCheck(tenant, deps(runner, asked), { runId: "m1" });
    expect(again.repeated).toBe(true);
    expect(again.alerts).toEqual([]);
    expect(commits).toEqual([FIRST, second()]);
    expect(asked).toEqual([["", secondKey("Woodgrove")]]);
    expect(sim.state.counters.httpRequests).toBe(requests);
    for (const p of [FIRST, second()]) expect((await store.monitor.readState(p))?.state).toMatchObject({ version: 1, lastRunId: "m1" });
  });

  it("a crash between the two accounts' records: the redelivery collects and records only the missing account", async () => {
    const { store: runner, commits } = watched(1);
    const asked: string[][] = [];
    await expect(runTenantCheck(tenant, deps(runner, asked), { runId: "m2" })).rejects.toBeInstanceOf(StoreError);
    expect(commits).toEqual([FIRST]);
    expect(await store.monitor.readState(second())).toBeUndefined();

    const redelivered = await runTenantCheck(tenant, deps(runner, asked), { runId: "m2" });
    expect(redelivered.accounts.map((a) => [a.accountKey, a.repeated, a.stateVersion])).toEqual([
      ["", true, 1],
      [secondKey("Woodgrove"), false, 1],
    ]);
    expect(redelivered.repeated).toBe(false);
    expect(commits).toEqual([FIRST, second()]);
    expect(asked).toEqual([["", secondKey("Woodgrove")], [secondKey("Woodgrove")]]);
    expect((await store.monitor.readState(FIRST))?.state.version).toBe(1);
    expect((await store.monitor.readState(second()))?.state).toMatchObject({ version: 1, lastRunId: "m2", accountKey: secondKey("Woodgrove") });
    // listStates sees both accounts, each with its tenant and key.
    const listed = (await store.monitor.listStates()).filter((s) => s.tenantId === woodgrove.tenantId);
    expect(listed.map((s) => s.accountKey ?? "").sort()).toEqual(["", secondKey("Woodgrove")].sort());
  });

  it("a one-account tenant given a second account: the first keeps its state and open finding (nothing repeated), the second starts its own", async () => {
    // Registered as before accounts had keys: its one account gets "" (the tenant id's partition), which the re-registration keeps.
    await store.tenants.delete(woodgrove.tenantId);
    const before = await store.tenants.put({ tenantId: woodgrove.tenantId, displayName: woodgrove.displayName, account: woodgrove.account, recipients: [] });
    expect(before.accounts.map((a) => a.key)).toEqual([""]);
    const policy = blockingCaPolicy(POLICY, { displayName: "Block the first account", includeUsers: [accountIdOf(sim, before)], controls: ["block"] });
    sim.state.tenant(woodgrove.tenantId).conditionalAccessPolicies.push(policy);
    const asked: string[][] = [];
    const first = await runTenantCheck(before, deps(watched().store, asked), { runId: "old" });
    expect(first.accounts).toHaveLength(1);
    expect(first.transitions.map((t) => (t.kind === "drift-detected" ? t.finding.key : t.kind))).toEqual([`conditional-access|${POLICY}`]);

    const upgraded = await store.tenants.put(twoAccountInput("Woodgrove"));
    expect(upgraded.accounts.map((a) => a.key)).toEqual(["", secondKey("Woodgrove")]);
    clock.advanceHours(1);
    const next = await runTenantCheck(upgraded, deps(watched().store, asked), { runId: "new" });
    expect(next.accounts.map((a) => [a.accountKey, a.stateVersion, a.transitions.length])).toEqual([
      ["", 2, 0],
      [secondKey("Woodgrove"), 1, 0],
    ]);
    const kept = (await store.monitor.readState(FIRST))?.state.findings.find((f) => f.key === `conditional-access|${POLICY}`);
    expect(kept?.status).toBe("open");
    expect((await store.monitor.readState(second()))?.state.findings.some((f) => f.subject === POLICY)).toBe(false);
  });
  it("a connection account with the emergency-access profile (a CSV import can register one) has its successful sign-ins read", async () => {
    const input = twoAccountInput("Woodgrove");
    const [first, other] = input.accounts ?? [];
    const imported = await store.tenants.put({ ...input, accounts: [first!, { ...other!, kind: "connection", profile: "emergency-access" }] });
    expect(imported.accounts.map((a) => [a.kind, a.profile])).toEqual([
      ["connection", "strict"],
      ["connection", "emergency-access"],
    ]);
    const signIn = (id: string, userId: string) => ({ id, userId, minutesAgo: 60, isInteractive: true, status: { errorCode: 0, failureReason: null } });
    sim.state.tenant(woodgrove.tenantId).signIns.push(signIn("second-ok", SECOND_ID), signIn("first-ok", accountIdOf(sim, imported)));
    const collected: AccountsCollectResult[] = [];
    const runner = watched().store;
    await runTenantCheck(
      imported,
      runnerDeps(sim, runner, clock, {
        collectAccounts: async (client, target, options) => {
          const result = await collectAccounts(client, target, options);
          collected.push(result);
          return result;
        },
      }),
    );
    const signInIds = (key: string): string[] => {
      const facts = collected[0]?.byAccount.get(key)?.signIns;
      return facts?.ok ? facts.value.map((s) => s.id) : [];
    };
    expect(signInIds(secondKey("Woodgrove"))).toContain("second-ok");
    // The strict profile does not mail sign-ins: only the failures of its account are read.
    expect(signInIds("")).not.toContain("first-ok");
  });
});
