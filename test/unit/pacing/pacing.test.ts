/** The Graph pacer's budgets with a fake clock: nothing here sleeps for real. */
import { describe, expect, it } from "vitest";
import { demandOf } from "../../../lib/graph/batch.js";
import { GraphPacer, type PacingLimits } from "../../../lib/graph/pacing.js";
import { SlidingWindow } from "../../../lib/graph/pacing-window.js";
import { FakeClock } from "./fake-clock.js";

const LIMITS: PacingLimits = {
  caPerTenant: { limit: 1, windowMs: 1_000 },
  reportsPerTenant: { limit: 5, windowMs: 10_000 },
  reportsPerApp: { limit: 12, windowMs: 10_000 },
  marginMs: 0,
};

/** Starts an acquire and records when it was granted. */
function track(p: Promise<{ release(): void }>, clock: FakeClock) {
  const out: { at?: number; release?: () => void } = {};
  void p.then((permit) => {
    out.at = clock.t;
    out.release = () => permit.release();
  });
  return out;
}

describe("SlidingWindow", () => {
  it("admits up to the limit, then frees slots a window after each answer", () => {
    const w = new SlidingWindow(2, 1_000);
    expect(w.readyAt(0)).toBe(0);
    w.start();
    w.start();
    expect(w.readyAt(0)).toBe(Number.POSITIVE_INFINITY); // both still in flight
    w.finish(100);
    expect(w.readyAt(100)).toBe(1_100);
    w.finish(300);
    expect(w.readyAt(1_100)).toBe(1_100);
    expect(w.readyAt(1_100, 2)).toBe(1_300);
    expect(w.isIdle(1_299)).toBe(false);
    expect(w.isIdle(1_300)).toBe(true);
  });

  it("lets a demand above the limit go alone once the window is empty", () => {
    const w = new SlidingWindow(1, 1_000);
    expect(w.readyAt(0, 3)).toBe(0);
  });
});

describe("GraphPacer", () => {
  it("spaces one tenant's CA requests a second after each answer; other tenants are not held", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock);
    const a = pacer.forTenant("A");
    const first = track(a.acquire({ ca: 1 }), clock);
    await clock.advance(0);
    expect(first.at).toBe(0);
    const second = track(a.acquire({ ca: 1 }), clock);
    const other = track(pacer.forTenant("B").acquire({ ca: 1 }), clock);
    await clock.advance(100);
    expect(other.at).toBe(0);
    expect(second.at).toBeUndefined(); // the first is still in flight
    first.release!();
    await clock.advance(999);
    expect(second.at).toBeUndefined();
    await clock.advance(1);
    expect(second.at).toBe(1_100);
  });

  it("holds reports to the per-tenant budget and to the app-wide one", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock);
    const granted: { at?: number; release?: () => void }[] = [];
    // 5 per tenant: the sixth report of tenant A waits for a slot.
    for (let i = 0; i < 6; i += 1) granted.push(track(pacer.forTenant("A").acquire({ reports: 1 }), clock));
    await clock.advance(0);
    expect(granted.filter((g) => g.at === 0)).toHaveLength(5);
    for (const g of granted) g.release?.();
    // 12 per app: tenants B and C get 7 between them now, the rest after the window.
    const others = [...Array(10).keys()].map((i) => track(pacer.forTenant(i % 2 ? "B" : "C").acquire({ reports: 1 }), clock));
    await clock.advance(0);
    expect(others.filter((g) => g.at === 0)).toHaveLength(7);
    for (const g of others) g.release?.();
    await clock.advance(10_000);
    expect(granted[5]!.at).toBe(10_000);
    expect(others.filter((g) => g.at === 10_000)).toHaveLength(3);
  });

  it("counts every metered sub-request of a batch", async () => {
    expect(demandOf([{ budget: "reports" }, {}, { budget: "ca" }, { budget: "reports" }])).toEqual({ ca: 1, reports: 2 });
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock);
    const t = pacer.forTenant("A");
    const big = track(t.acquire({ reports: 4 }), clock);
    const next = track(t.acquire({ reports: 2 }), clock);
    await clock.advance(0);
    expect(big.at).toBe(0);
    expect(next.at).toBeUndefined();
    big.release!();
    await clock.advance(10_000);
    expect(next.at).toBe(10_000);
  });

  it("grants requests that draw on no budget at once", async () => {
    const pacer = new GraphPacer(LIMITS, new FakeClock());
    await expect(pacer.forTenant("A").acquire({})).resolves.toBeDefined();
    expect(pacer.stats().trackedTenants).toBe(0);
  });

  it("forgets idle tenants, so memory follows the tenants in flight, not the estate", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer(LIMITS, clock);
    for (let i = 0; i < 1_000; i += 1) {
      const permit = await pacer.forTenant(`t${i}`).acquire({ ca: 1 });
      permit.release();
      await clock.advance(5); // 1,000 tenants over 5 s; each one's CA window lasts 1 s
    }
    expect(pacer.stats().trackedTenants).toBeLessThan(1_000 / 5 + 256 + 1);
    await clock.advance(2_000);
    for (let i = 0; i < 256; i += 1) (await pacer.forTenant(`u${i}`).acquire({ ca: 1 })).release();
    expect(pacer.stats().trackedTenants).toBeLessThanOrEqual(256);
  });

  it("releases once, however often release is called", async () => {
    const clock = new FakeClock();
    const pacer = new GraphPacer({ ...LIMITS, caPerTenant: { limit: 2, windowMs: 1_000 } }, clock);
    const t = pacer.forTenant("A");
    const p = await t.acquire({ ca: 1 });
    p.release();
    p.release();
    const q = track(t.acquire({ ca: 1 }), clock);
    await clock.advance(0);
    expect(q.at).toBe(0);
  });
});
