/**
 * A tenant with two connection accounts, through the exported handlers (Azurite, the simulator, the
 * `.eml` outbox): a Conditional Access policy that targets one account and not the other is that
 * account's finding, in its own state row, its own outbox row and its own email; two workers on one
 * tenant still take one lease per tenant; an account with a profile that does not exist is unknown
 * on its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emlFileName } from "../../lib/alerts/index.js";
import { monitorPartition } from "../../lib/model/account.js";
import { readEmlHeaders } from "../../cli/demo/eml.js";
import { alertMessageSchema } from "../../functions/queue/index.js";
import { checkTenant, deliverAlerts } from "../../functions/handlers/index.js";
import { queueContext, takeAll } from "./functions-helpers.js";
import { app, clock, fresh, simulator, useSimulator, woodgrove } from "./functions-checks-helpers.js";
import { blockingCaPolicy } from "./runner-helpers.js";
import { addSecondAccount, SECOND_ID, secondKey, secondUpn, twoAccountInput } from "./accounts-helpers.js";

useSimulator();

let outbox: string | undefined;
afterEach(() => {
  if (outbox) rmSync(outbox, { recursive: true, force: true });
  outbox = undefined;
});

const POLICY = "5ec0d000-0000-4000-8000-0000000000b1";
const message = () => ({ tenantId: woodgrove.tenantId, enqueuedAt: clock.now().toISOString(), reason: "manual" });

async function setUp(): Promise<void> {
  outbox = mkdtempSync(join(tmpdir(), "fn-accounts-"));
  fresh({ OUTBOX_DIR: outbox });
  addSecondAccount(simulator(), "Woodgrove");
  const tenant = await app.store.tenants.put(twoAccountInput("Woodgrove"));
  expect(tenant.accounts.map((a) => a.key)).toEqual(["", secondKey("Woodgrove")]);
}

describe("checkTenant: a tenant with two connection accounts", () => {
  it("a policy that blocks one account is that account's finding, state row and email; the other stays clean", async () => {
    await setUp();
    const key = secondKey("Woodgrove");
    const first = await checkTenant(message(), queueContext(1));
    expect(first).toMatchObject({ kind: "checked", status: "compliant", alerts: [] });
    const before = (await app.store.monitor.readState(monitorPartition(woodgrove.tenantId, key)))?.state;
    expect(before).toMatchObject({ tenantId: woodgrove.tenantId, accountKey: key, version: 1 });
    expect(before?.lastReport.account.id).toBe(SECOND_ID);
    // Each account's object id is cached on its own entry.
    expect((await app.store.tenants.get(woodgrove.tenantId))?.accounts.map((a) => a.objectId)).toEqual([expect.any(String), SECOND_ID]);

    simulator()
      .state.tenant(woodgrove.tenantId)
      .conditionalAccessPolicies.push(blockingCaPolicy(POLICY, { displayName: "Block the second account", includeUsers: [SECOND_ID], controls: ["block"] }));
    clock.advanceMinutes(30);
    const second = await checkTenant(message(), queueContext(1));
    expect(second).toMatchObject({ kind: "checked", status: "drifted", transitions: ["drift-detected"], alertQueued: true });

    const mine = (await app.store.monitor.readState(monitorPartition(woodgrove.tenantId, key)))?.state;
    const theirs = (await app.store.monitor.readState(woodgrove.tenantId))?.state;
    expect(mine?.findings.filter((f) => f.status === "open").map((f) => f.key)).toContain(`conditional-access|${POLICY}`);
    expect(theirs?.findings.some((f) => f.subject === POLICY)).toBe(false);
    expect(theirs?.lastReport.status).toBe("compliant");
    expect(theirs?.accountKey).toBeUndefined();
    expect(theirs?.version).toBe(2);

    const texts = await takeAll(app.queues.alerts.client);
    expect(texts).toHaveLength(1);
    const queued = alertMessageSchema.parse(JSON.parse(texts[0] ?? ""));
    expect(queued).toMatchObject({ tenantId: woodgrove.tenantId, accountKey: key });
    // The row is in the second account's partition, not the tenant's.
    expect(await app.store.monitor.getAlert(woodgrove.tenantId, queued.alertId)).toBeUndefined();
    const row = await app.store.monitor.getAlert(monitorPartition(woodgrove.tenantId, key), queued.alertId);
    expect(row?.alert).toMatchObject({ accountKey: key, accountRef: secondUpn("Woodgrove"), accountKind: "connection", tenantAccounts: 2 });

    // The tenant's listings span its accounts' partitions; a roll-up names the row by its partition.
    const pending = await app.store.outbox.listUndelivered({ tenantId: woodgrove.tenantId });
    expect(pending.map((r) => [r.tenantId, r.accountKey, r.partition])).toEqual([[woodgrove.tenantId, key, monitorPartition(woodgrove.tenantId, key)]]);
    const ref = { partition: monitorPartition(woodgrove.tenantId, key), id: queued.alertId };
    expect((await app.store.outbox.rollups.create("raccounts", [ref], clock.now())).candidates).toEqual([ref]);
    expect((await app.store.outbox.rollups.getAlert(ref))?.alert.id).toBe(queued.alertId);

    expect(await deliverAlerts(texts[0], queueContext(1))).toMatchObject({ status: "sent", tenantId: woodgrove.tenantId, id: queued.alertId });
    expect(readdirSync(outbox ?? "")).toEqual([emlFileName(queued.alertId)]);
    const email = await readEmlHeaders(join(outbox ?? "", emlFileName(queued.alertId)));
    expect(email.subject).toContain(`Woodgrove Bank (${secondUpn("Woodgrove")})`);
    expect(email.subject).toContain("Block the second account");
  });

  it("two workers on one tenant: one takes the tenant's lease and records both accounts once, the other is a duplicate", async () => {
    await setUp();
    const a = message();
    clock.advanceMinutes(1);
    const b = message();
    const results = await Promise.all([checkTenant(a, queueContext(1, "a")), checkTenant(b, queueContext(1, "b"))]);
    expect(results.map((r) => r?.kind).sort()).toEqual(["checked", "skipped"]);
    expect(results.find((r) => r?.kind === "skipped")).toMatchObject({ why: /duplicate/ });
    for (const key of ["", secondKey("Woodgrove")]) {
      expect((await app.store.monitor.readState(monitorPartition(woodgrove.tenantId, key)))?.state.version).toBe(1);
    }
    expect(await app.leases.current(woodgrove.tenantId, clock.now())).toBeUndefined();
  });

  it("an account with a profile that does not exist is unknown, saying so, at once; the other account is judged", async () => {
    await setUp();
    const input = twoAccountInput("Woodgrove");
    await app.store.tenants.put({ ...input, accounts: [{ ref: woodgrove.account }, { ref: secondUpn("Woodgrove"), profile: "retired-profile" }] });
    const result = await checkTenant(message(), queueContext(1));
    expect(result).toMatchObject({ kind: "checked", status: "unknown" });
    const broken = (await app.store.monitor.readState(monitorPartition(woodgrove.tenantId, secondKey("Woodgrove"))))?.state;
    expect(broken?.lastReport.checks.every((c) => c.status === "unknown" && /profile "retired-profile", which does not exist/.test(c.reason ?? ""))).toBe(true);
    expect((await app.store.monitor.readState(woodgrove.tenantId))?.state.lastReport.status).toBe("compliant");
  });
});
