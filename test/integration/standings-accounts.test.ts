/**
 * Acknowledgements and exceptions of a tenant with two monitored accounts (Azurite, the simulator,
 * the real runner): an acknowledgement lives in its account's partition and covers that account's
 * finding only; an exception naming an account covers it only; the tenant's audit trail lists both.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { monitorPartition } from "../../lib/model/account.js";
import { exceptionIdOf, type ApprovedException } from "../../lib/model/standing.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import { runTenantCheck } from "../../lib/runner/index.js";
import { acknowledge } from "../../lib/standings/operate.js";
import type { Store } from "../../lib/store/index.js";
import { sampleTenant, type RunningSimulator } from "../../sim/testing.js";
import { accountIdOf, blockingCaPolicy, runnerDeps, useSimulatorAndStore, type TestClock } from "./runner-helpers.js";
import { addSecondAccount, SECOND_ID, secondKey, twoAccountInput } from "./accounts-helpers.js";

let sim: RunningSimulator;
let clock: TestClock;
let store: Store;
useSimulatorAndStore("Stand", (s, c, st) => ((sim = s), (clock = c), (store = st)));

const woodgrove = sampleTenant("Woodgrove");
const POLICY = "5ec0d000-0000-4000-8000-0000000000c2";
const FINDING = `conditional-access|${POLICY}`;
let tenant: RegisteredTenant;
const partitionOf = (key: string): string => monitorPartition(woodgrove.tenantId, key);

async function findingState(key: string): Promise<string | undefined> {
  return (await store.monitor.readState(partitionOf(key)))?.state.findings.find((f) => f.key === FINDING)?.state;
}

beforeEach(async () => {
  addSecondAccount(sim, "Woodgrove");
  tenant = await store.tenants.put(twoAccountInput("Woodgrove"));
  const first = accountIdOf(sim, tenant);
  const policy = blockingCaPolicy(POLICY, { displayName: "Block both", includeUsers: [first, SECOND_ID], controls: ["block"] });
  sim.state.tenant(woodgrove.tenantId).conditionalAccessPolicies.push(policy);
  await runTenantCheck(tenant, runnerDeps(sim, store, clock));
  for (const key of ["", secondKey("Woodgrove")]) expect(await findingState(key)).toBe("open");
});

describe("standings per account", () => {
  it("an acknowledgement of the second account's finding is in its partition and covers it alone", async () => {
    const key = secondKey("Woodgrove");
    const deps = { monitor: store.monitor, standings: store.standings };
    const input = {
      accountKey: key,
      checkId: "conditional-access",
      subject: POLICY,
      reason: "vendor change window",
      by: "ann@msp.example",
      for: 3 * 86_400_000,
    };
    const acked = await acknowledge(deps, woodgrove.tenantId, input, clock.now());
    expect(acked).toMatchObject({ ok: true, value: { tenantId: woodgrove.tenantId, accountKey: key, findingKey: FINDING } });
    expect(await store.standings.getAck(partitionOf(key), FINDING)).toBeDefined();
    expect(await store.standings.getAck(woodgrove.tenantId, FINDING)).toBeUndefined();
    expect((await store.standings.listAudit(woodgrove.tenantId)).map((e) => [e.action, e.subject])).toEqual([["ack", FINDING]]);

    clock.advanceHours(1);
    await runTenantCheck(tenant, runnerDeps(sim, store, clock));
    expect(await findingState(key)).toBe("acknowledged");
    expect(await findingState("")).toBe("open");
  });

  it("an exception naming the first account covers it, not the second", async () => {
    const target = { kind: "check-waived" as const, checkId: "conditional-access" };
    const exception: ApprovedException = {
      schemaVersion: 1,
      id: exceptionIdOf(target, ""),
      scope: woodgrove.tenantId,
      accountKey: "",
      target,
      reason: "the first account's sign-ins are moving to a workload identity",
      owner: "Bob",
      reference: "CHG-42",
      expiresAt: new Date(clock.now().getTime() + 30 * 86_400_000).toISOString(),
      by: "ann@msp.example",
      at: clock.now().toISOString(),
    };
    const audit = { schemaVersion: 2 as const, scope: woodgrove.tenantId, at: exception.at, by: exception.by, action: "exception-approved" as const };
    await store.standings.writeException(exception, null, { ...audit, subject: exception.id, before: null, after: exception });
    clock.advanceHours(1);
    await runTenantCheck(tenant, runnerDeps(sim, store, clock));
    expect(await findingState("")).toBe("excepted");
    expect(await findingState(secondKey("Woodgrove"))).toBe("open");
  });
});
