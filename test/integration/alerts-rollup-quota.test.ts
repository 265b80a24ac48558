/**
 * The first pass over an estate too large for the managed domain's quota: 60 drifted tenants, each
 * with its own recipients, and a global list. The ACS fake enforces 5 a minute and 10 an hour
 * (429 + Retry-After, as ACS does); the senders run on the test's clock (a sweep every 5 minutes of
 * it), so six-odd hours of sending take seconds. 60 is more than a roll-up lists (MAX_ENTRIES) and
 * six hours of the hourly quota; the time it takes grows with the tenants, what it proves does not.
 */
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { MAX_ENTRIES } from "../../lib/alerts/rollup/render.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { fake, harness, rollupDeps, START, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const GLOBAL = ["noc@msp.example", "oncall@msp.example"];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TENANTS = 60;
const PER_HOUR = 10;

/** Most sends in any window of `ms` (sliding), from the fake's acceptance times. */
function busiest(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe(`a first pass over ${TENANTS} drifted tenants on a managed domain`, () => {
  it(`sends the global list one email, each tenant list its own, none twice, none lost, within 5 a minute and ${PER_HOUR} an hour`, async () => {
    const h = harness();
    const drift = SAMPLES["drift-detected"]!.transitions[0]!;
    const tenants: Array<{ tenantId: string; id: string; address: string }> = [];
    for (let i = 0; i < TENANTS; i++) {
      const n = String(i).padStart(3, "0");
      const address = `admin@t${n}.example`;
      const { tenantId, ids } = await h.write(
        alertOf(`a${n}`, [drift], { createdAt: new Date(START).toISOString(), tenantName: `Tenant ${n}`, recipients: [address, "NOC@msp.example"] }),
      );
      tenants.push({ tenantId, id: ids[0]!, address });
    }
    fake.limit([
      { perWindow: 5, windowMs: MINUTE, now: () => h.clock.t, retryAfter: "always" },
      { perWindow: PER_HOUR, windowMs: HOUR, now: () => h.clock.t, retryAfter: "always" },
    ]);
    const before = fake.accepted.length;
    const requestsBefore = fake.requests.length;
    try {
      const deps = rollupDeps(h, { ALERT_TO: GLOBAL.join(",") });
      const started = h.clock.t;
      let lastSent = started;
      for (let sweep = 0; sweep < 1000; sweep++) {
        const at = h.clock.t;
        const summary = await deliverDue(deps);
        if (summary.sent > 0 || summary.rollup?.status === "sent") lastSent = h.clock.t;
        const open = (await h.outbox.listUndelivered()).length + (await h.outbox.rollups.listOwed()).length + (await h.outbox.rollups.listOpen()).length;
        if (open === 0) break;
        h.clock.t = Math.max(h.clock.t, at + 5 * MINUTE);
      }
      const emails = fake.accepted.slice(before);
      // The global list: one email, covering every tenant, and no tenant email is addressed to it.
      const global = emails.filter((e) => e.to.some((a) => GLOBAL.includes(a.toLowerCase())));
      expect(global).toHaveLength(1);
      expect(global[0]!.to).toEqual(GLOBAL);
      // ... and before the tenants' own emails take the quota: within the first sweeps.
      expect(global[0]!.at! - started).toBeLessThan(10 * MINUTE);
      expect(global[0]!.subject).toContain(`${TENANTS} changes in ${TENANTS} tenants`);
      expect(global[0]!.plainText).toMatch(/Tenant 000: Drift detected/i);
      expect(TENANTS).toBeGreaterThan(MAX_ENTRIES);
      expect(global[0]!.plainText).toMatch(new RegExp(`${TENANTS - MAX_ENTRIES} more changes not listed`, "i"));
      // Each tenant's own list: exactly its own email, once.
      for (const t of tenants) {
        const mine = emails.filter((e) => e.to.includes(t.address));
        expect(mine, t.address).toHaveLength(1);
        expect(mine[0]!.to).toEqual([t.address]);
      }
      expect(emails).toHaveLength(TENANTS + 1);
      // Never twice: every POST the fake accepted was a new operation; nothing was throttled (the quota was never exceeded).
      const posts = fake.requests.slice(requestsBefore).filter((r) => r.method === "POST");
      expect(posts.filter((p) => p.status === 429)).toEqual([]);
      expect(posts).toHaveLength(TENANTS + 1);
      const times = emails.map((e) => e.at!);
      expect(busiest(times, MINUTE)).toBeLessThanOrEqual(5);
      expect(busiest(times, HOUR)).toBeLessThanOrEqual(PER_HOUR);
      // Nothing lost: every row sent, every alert covered by the one roll-up.
      for (const t of tenants) {
        const row = await h.outbox.get(t.tenantId, t.id);
        expect(row).toMatchObject({ delivery: "sent", sentChannels: ["acs"], attempts: 1 });
        expect(row?.rollup).toMatch(/^done:r/);
      }
      // Close to the hourly quota: the emails take as many hours of it as they must, and at most a fifth more.
      const hours = TENANTS / PER_HOUR;
      expect(lastSent - started).toBeGreaterThan(hours * HOUR);
      expect(lastSent - started).toBeLessThan(1.2 * hours * HOUR);
    } finally {
      fake.limit(undefined);
    }
  }, 300_000);
});
