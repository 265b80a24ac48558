/**
 * A host whose clock runs a day ahead among others on one storage account (this run's Azurite),
 * each host with its own injected clock and its own view of the storage service's clock
 * (Store.storageClock, learnt from the service's own write stamps):
 *
 * - no check dropped: the hosts' runs stamp their checks on the service's clock, so a check by a
 *   host whose clock is right, made after the skewed host's, is recorded (and its new drift
 *   alerted) instead of being taken for older and dropped; without the service's clock the same
 *   runs drop it, which is what the test reproduces first;
 * - no email held: the mail and webhook ledgers take their cells on the service's clock, so a send
 *   by the skewed host leaves the others' next send where the limit puts it, not a day (or an
 *   interval of each limit) later.
 */
import { describe, expect, it } from "vitest";
import { emailLimits, paceMs, webhookLimits } from "../../lib/alerts/quota.js";
import { runTenantCheck, type RunnerDeps } from "../../lib/runner/index.js";
import type { SendLimit, Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import { enqueueCheck } from "../../functions/app/schedule.js";
import type { App } from "../../functions/app/app.js";
import { testApp, TestClock as FunctionsClock } from "./functions-helpers.js";
import { azuriteStore, registered, runnerDeps, uniqueTables, useSimulator, type TestClock } from "./runner-helpers.js";

const DAY = 86_400_000;
const woodgrove = registered("Woodgrove");

let sim: RunningSimulator;
let testClock: TestClock;
useSimulator((s, c) => {
  sim = s;
  testClock = c;
});

/** A host: its own clock (`skewMs` off the real one) and, when `storageClock`, its view of the service's. */
function host(store: Store, skewMs: number, storageClock: boolean): RunnerDeps {
  const wall = () => Date.now() + skewMs;
  return runnerDeps(sim, store, testClock, {
    now: () => new Date(wall()),
    ...(storageClock ? { clock: store.storageClock({ wall }) } : {}),
  });
}

async function driftAfterSkewedCheck(storageClock: boolean) {
  const store = azuriteStore(uniqueTables(storageClock ? "Skew" : "SkewBare"));
  const [ahead, right] = [host(store, DAY, storageClock), host(store, 0, storageClock)];
  const first = await runTenantCheck(woodgrove, ahead);
  // Someone turns Security Defaults on: the next check, by a host whose clock is right, must see the drift.
  sim.state.tenant(woodgrove.tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
  const second = await runTenantCheck(woodgrove, right);
  const state = (await store.monitor.readState(woodgrove.tenantId))?.state;
  const alerts = await store.monitor.listAlerts(woodgrove.tenantId);
  return { first, second, state, alerts };
}

describe("the storage service's clock", () => {
  it("is learnt by one probe for every reader at once, and kept for a sample's life", async () => {
    const behind = azuriteStore(uniqueTables("Clock")).storageClock({ wall: () => Date.now() - DAY });
    const times = await Promise.all([behind.now(), behind.now(), behind.now()]);
    await behind.now();
    expect(behind.probes).toBe(1);
    for (const t of times) expect(Math.abs(t.getTime() - Date.now())).toBeLessThan(5_000);
    expect(Math.abs((await behind.offsetMs()) - DAY)).toBeLessThan(5_000);
  });
});

describe("the storage service's clock, read without waiting (an app's now)", () => {
  it("is the host's own clock until the first probe answers, then the service's", async () => {
    const behind = azuriteStore(uniqueTables("ClockNow")).storageClock({ wall: () => Date.now() - DAY });
    expect(Math.abs(behind.current().getTime() - (Date.now() - DAY))).toBeLessThan(5_000);
    await behind.offsetMs();
    expect(Math.abs(behind.current().getTime() - Date.now())).toBeLessThan(5_000);
    expect(behind.probes).toBe(1);
  });
});

describe("a host whose clock runs a day ahead: no check dropped", () => {
  it("without the storage service's clock, the skewed host's check hides the next one (the break, reproduced)", async () => {
    const { second, state } = await driftAfterSkewedCheck(false);
    expect(second).toMatchObject({ superseded: true, transitions: [] });
    expect(state?.version).toBe(1);
  });

  it("on the storage service's clock, the next check is recorded and its drift alerted; checkedAt is the service's time", async () => {
    const before = Date.now();
    const { first, second, state, alerts } = await driftAfterSkewedCheck(true);
    expect(second.superseded).toBe(false);
    expect(second.transitions.map((t) => t.kind)).toContain("drift-detected");
    expect(state?.version).toBe(2);
    expect(alerts.map((a) => a.alert.id)).toEqual([second.alerts[0]?.id]);
    // Stamped on the service's clock (Azurite's: this machine's), not a day ahead.
    expect(Math.abs(Date.parse(first.report.checkedAt) - before)).toBeLessThan(60_000);
  });
});

/**
 * Two Functions apps on one storage account (tables shared), one whose host clock is right and one
 * a day ahead, each reading the storage service's clock as production does (or, `storageClock`
 * false, their own), once that clock is learnt (production starts learning it when the app starts).
 */
async function apps(storageClock: boolean): Promise<{ readonly right: App; readonly skewed: App }> {
  const storeOptions = uniqueTables(storageClock ? "SkewApp" : "SkewAppBare");
  const host = (skewMs: number) => testApp(sim, new FunctionsClock(new Date()), {}, { now: () => new Date(Date.now() + skewMs), storageClock, storeOptions });
  const [right, skewed] = [host(0), host(DAY)];
  await Promise.all([right.leaseTime(), skewed.leaseTime()]);
  return { right, skewed };
}

describe("a host whose clock runs a day ahead: its app's clock and check leases", () => {
  it("are the storage service's, so the others see its leases run out when they should", async () => {
    const { skewed } = await apps(true);
    expect(Math.abs(skewed.now().getTime() - Date.now())).toBeLessThan(5_000);
    const before = Date.now();
    const queued = await enqueueCheck(skewed, woodgrove.tenantId, "manual");
    expect(queued.queued).toBe(true);
    const until = queued.queued ? Date.parse(queued.leasedUntil) : 0;
    // The lease's length from the service's now, not from a day ahead.
    expect(until - before).toBeGreaterThan(0);
    expect(until - before).toBeLessThanOrEqual(skewed.appSettings.checkLeaseMinutes * 60_000 + 60_000);
  });
});

describe("a host whose clock runs a day ahead: no email held", () => {
  const channels = [
    ["mail (5 a minute, 10 an hour)", emailLimits("acs", { perMinute: 5, perHour: 10, source: "managed-domain" })],
    ["Teams webhook", webhookLimits("teams")],
  ] as const;

  /** Sends in turn, one pace apart, through the ledgers the apps' senders take cells from, at the apps' own `now`: what each is told. */
  async function turns(limits: readonly SendLimit[], storageClock: boolean) {
    const { right, skewed } = await apps(storageClock);
    const [rightBudget, skewedBudget] = [right.store.outbox.sendBudget(limits), skewed.store.outbox.sendBudget(limits)];
    const pace = paceMs(limits);
    const later = (app: App, ms: number) => new Date(app.now().getTime() + ms);
    const skewedNow = skewed.now();
    return {
      pace,
      skewedNow,
      first: await rightBudget.take(right.now()),
      // At once after it: the limit says no, to the skewed host as to any other.
      skewedAtOnce: await skewedBudget.take(skewedNow),
      // One pace (and a second) later: the skewed host's turn.
      skewedLater: await skewedBudget.take(later(skewed, pace + 1_000)),
      // Another pace later: the right host's next email goes.
      rightLater: await rightBudget.take(later(right, 2 * pace + 2_000)),
    };
  }

  it.each(channels)("%s: on the storage service's clock, every host is paced by the limit, none held", async (_, limits) => {
    const r = await turns(limits, true);
    expect(r.first).toEqual({ granted: true });
    expect(r.skewedAtOnce).toMatchObject({ granted: false });
    // Told to come back within a pace, not a day later.
    const wait = (r.skewedAtOnce.granted ? 0 : r.skewedAtOnce.retryAt.getTime()) - r.skewedNow.getTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(r.pace + 1_000);
    expect(r.skewedLater).toEqual({ granted: true });
    expect(r.rightLater).toEqual({ granted: true });
  });

  it("on the hosts' own clocks, the skewed host sends past the limit and holds the next email (the break, reproduced)", async () => {
    const r = await turns(channels[0][1], false);
    expect(r.first).toEqual({ granted: true });
    expect(r.skewedAtOnce).toEqual({ granted: true });
    expect(r.rightLater).toMatchObject({ granted: false });
  });
});
