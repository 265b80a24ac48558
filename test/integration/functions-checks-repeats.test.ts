/**
 * Messages the host delivers more than once, and checks Graph keeps throttling: neither may raise
 * "monitoring degraded" early or read as unknown. Through the exported handlers, with
 * Azurite and the simulator.
 */
import { describe, expect, it } from "vitest";
import { alertMessageSchema } from "../../functions/queue/index.js";
import { checkTenant, scheduleChecks } from "../../functions/handlers/index.js";
import { sampleTenant } from "../../sim/testing.js";
import { queueContext, quietContext, sampleInput, takeAll } from "./functions-helpers.js";
import { app, clock, fresh, simulator, timer, useSimulator } from "./functions-checks-helpers.js";

useSimulator();

const trey = sampleTenant("Trey Research"); // consent revoked: every check is unknown
const woodgrove = sampleTenant("Woodgrove");

async function alertKinds(): Promise<string[]> {
  const alerts = (await takeAll(app.queues.alerts.client)).map((t) => alertMessageSchema.parse(JSON.parse(t)));
  const rows = await Promise.all(alerts.map((a) => app.store.monitor.getAlert(a.tenantId, a.alertId)));
  return rows.flatMap((r) => r?.alert.transitions.map((t) => t.kind) ?? []);
}

describe("checkTenant: repeats and throttling", () => {
  it("a scheduled message delivered three times is one schedule period: no early 'monitoring degraded', no second Graph read", async () => {
    fresh(); // UNKNOWN_ALERT_AFTER at its default, 3
    await app.store.tenants.put(sampleInput("Trey Research"));
    const kinds: string[] = [];
    for (let period = 1; period <= 3; period++) {
      await scheduleChecks(timer, quietContext());
      const [text] = await takeAll(app.queues.tenantChecks.client);
      let afterFirst = 0;
      for (let delivery = 1; delivery <= 3; delivery++) {
        const result = await checkTenant(text, queueContext(1));
        expect(result).toMatchObject(delivery === 1 ? { kind: "checked", status: "unknown" } : { kind: "skipped", why: /repeat/ });
        if (delivery === 1) afterFirst = simulator().state.counters.httpRequests;
      }
      // The repeats stop before Graph: the simulator saw the first delivery's requests only.
      expect(afterFirst).toBeGreaterThan(0);
      expect(simulator().state.counters.httpRequests).toBe(afterFirst);
      expect((await app.store.monitor.readState(trey.tenantId))?.state.consecutiveUnknown).toBe(period);
      kinds.push(...(await alertKinds()));
      expect(kinds).toEqual(period < 3 ? [] : ["monitoring-degraded"]);
      clock.advanceMinutes(30);
    }
  });

  it("a check Graph throttles through every retry is late, not unknown; two periods late sends 'not checked since' once", async () => {
    fresh();
    await app.store.tenants.put(sampleInput("Woodgrove"));
    const run = async () => {
      await scheduleChecks(timer, quietContext());
      const [text] = await takeAll(app.queues.tenantChecks.client);
      return checkTenant(text, queueContext(1));
    };
    expect(await run()).toMatchObject({ kind: "checked", status: "compliant" });
    const checkedAt = clock.now().toISOString();

    // Conditional Access answers 429 on every try from now on.
    simulator().state.addFault({ tenantId: woodgrove.tenantId, endpoint: "caPolicies", kind: "429" });
    const results = [];
    for (let period = 1; period <= 4; period++) {
      clock.advanceMinutes(30);
      results.push(await run());
      const state = (await app.store.monitor.readState(woodgrove.tenantId))?.state;
      expect(state?.lastReport.status).toBe("compliant"); // the last verdict stands
      expect(state?.lastReport.checkedAt).toBe(checkedAt);
      expect(state?.consecutiveUnknown).toBe(0);
      expect(state?.lateSince).toBe(new Date(Date.parse(checkedAt) + 30 * 60_000).toISOString());
      expect(state?.lateReason).toMatch(/throttled/);
    }
    expect(results.map((r) => r?.kind)).toEqual(["late", "late", "late", "late"]);
    // Two 30-minute periods after the last recorded check: sent once, at the second late run.
    expect(results.map((r) => (r?.kind === "late" ? r.transitions : []))).toEqual([[], ["not-checked"], [], []]);
    expect(await alertKinds()).toEqual(["not-checked"]);

    // Graph answers again: a verdict is recorded and the late marks are gone.
    simulator().state.clearFaults();
    clock.advanceMinutes(30);
    expect(await run()).toMatchObject({ kind: "checked", status: "compliant" });
    const state = (await app.store.monitor.readState(woodgrove.tenantId))?.state;
    expect([state?.lateSince, state?.lateReason, state?.notCheckedAlertedAt]).toEqual([undefined, undefined, undefined]);
  });
});
