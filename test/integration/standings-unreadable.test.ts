/**
 * Acknowledgement and exception rows that do not parse (a hand edit, a row of a broken writer): the
 * tenant's run leaves them out and logs a warning naming each row by its key (never its content);
 * `status --tenant` counts and lists them. Real runner and CLI over Azurite and the Graph simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TableClient } from "@azure/data-tables";
import { runTenantCheck } from "../../lib/runner/index.js";
import { createStore, type Store } from "../../lib/store/index.js";
import { startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { runCliCaptured } from "../support/cli.js";
import { cliEnv } from "./cli-helpers.js";
import { registered, registeredIn, runnerDeps, TestClock, transitionLabels as labels } from "./runner-helpers.js";
import { addSecondAccount, twoAccountInput } from "./accounts-helpers.js";

let azurite: RunningAzurite;
let sim: RunningSimulator;
let store: Store;

beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

const CONTENT = "do-not-log-this-row-content";

describe("unreadable acknowledgement and exception rows", () => {
  it("are left out of the run with a warning naming their keys, and counted by status", async () => {
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.reset();
    sim.state.setClock(clock.now);
    const t = registered("Woodgrove").tenantId;
    const deps = () => ({ ...runnerDeps(sim, store, clock), logger: { warn: (m: string) => warnings.push(m) } });
    const warnings: string[] = [];
    await runTenantCheck(await registeredIn(store, "Woodgrove"), deps());
    expect(warnings).toEqual([]);

    const raw = TableClient.fromConnectionString(azurite.connectionString, store.monitor["table"].name, { allowInsecureConnection: true });
    await raw.createEntity({ partitionKey: t, rowKey: "ack|security-defaults%7C", Body: `{"schemaVersion":1,"reason":"${CONTENT}"` });
    await raw.createEntity({ partitionKey: t, rowKey: "exception|check%3Aper-user-mfa", Body: JSON.stringify({ schemaVersion: 1, reason: CONTENT }) });
    sim.state.tenant(t).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    clock.advanceHours(1);
    const outcome = await runTenantCheck(await registeredIn(store, "Woodgrove"), deps());
    // Left out: the drift is announced as if there were no acknowledgement.
    expect(labels(outcome.transitions)).toEqual(["drift-detected:security-defaults|"]);
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`tenant ${t}: the acknowledgement/exception row ${t}/ack\\|security-defaults%7C could not be read`)),
      expect.stringMatching(new RegExp(`row ${t}/exception\\|check%3Aper-user-mfa could not be read and is left out of this run`)),
    ]);
    expect(warnings.join("\n")).not.toContain(CONTENT);

    const status = await runCliCaptured(["status", "--tenant", t], cliEnv(azurite, sim), clock.now);
    expect(status.code).toBe(0);
    expect(status.out).toContain("2 unreadable acknowledgement/exception rows: every run leaves them out");
    expect(status.out).toMatch(new RegExp(`Monitor row ${t}/ack\\|security-defaults%7C: `));
    expect(status.out).toMatch(new RegExp(`Monitor row ${t}/exception\\|check%3Aper-user-mfa: `));
  });

  it("of a tenant with two accounts: a tenant's exception row is reported once, not once per account", async () => {
    const clock = new TestClock(new Date(Date.UTC(2026, 2, 2, 8, 0, 0)));
    sim.state.reset();
    sim.state.setClock(clock.now);
    const name = "Fabrikam";
    const t = registered(name).tenantId;
    addSecondAccount(sim, name);
    await store.tenants.put(twoAccountInput(name));
    const tenant = (await store.tenants.get(t))!;
    expect(tenant.accounts).toHaveLength(2);
    const raw = TableClient.fromConnectionString(azurite.connectionString, store.monitor["table"].name, { allowInsecureConnection: true });
    await raw.createEntity({ partitionKey: t, rowKey: "exception|check%3Aper-user-mfa", Body: JSON.stringify({ schemaVersion: 1, reason: CONTENT }) });

    const warnings: string[] = [];
    await runTenantCheck(tenant, { ...runnerDeps(sim, store, clock), logger: { warn: (m: string) => warnings.push(m) } });
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`row ${t}/exception\\|check%3Aper-user-mfa could not be read and is left out of this run`))]);

    const status = await runCliCaptured(["status", "--tenant", t], cliEnv(azurite, sim), clock.now);
    expect(status.code).toBe(0);
    expect(status.out).toContain("1 unreadable acknowledgement/exception row");
    expect(status.out.match(new RegExp(`Monitor row ${t}/exception\\|check%3Aper-user-mfa: `, "g"))).toHaveLength(1);
  });
});
