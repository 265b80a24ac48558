/** Check leases (lib/store/monitor/leases.ts) on Azurite: one winner per race, expiry, release of one's own lease only. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CheckLeases } from "../../functions/app/index.js";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { LazyTable, tableClientFactory } from "../../lib/store/index.js";

const leases = () => new CheckLeases(new LazyTable(tableClientFactory(loadStoreSettings(process.env).storage)(`FnL${randomBytes(4).toString("hex")}`)));
const tenant = "11111111-2222-4333-8444-555555555555";
const t0 = new Date(Date.UTC(2026, 2, 2, 8, 0, 0));
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const HOUR = 3_600_000;

describe("check leases", () => {
  it("of many racing schedulers exactly one takes the lease", async () => {
    const l = leases();
    await l.current(tenant, t0, HOUR); // creates the table outside the race
    const results = await Promise.all(Array.from({ length: 8 }, () => l.acquire(tenant, t0, HOUR, "schedule")));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    for (const r of results.filter((x) => !x.acquired)) expect(r).toMatchObject({ heldUntil: minutes(60).toISOString() });
  });

  it("a live lease blocks, an expired one is taken over, and only the holder releases it", async () => {
    const l = leases();
    const first = await l.acquire(tenant, t0, HOUR, "schedule");
    if (!first.acquired) throw new Error("not acquired");
    expect(await l.acquire(tenant, minutes(59), HOUR, "schedule")).toEqual({ acquired: false, heldUntil: minutes(60).toISOString() });
    expect((await l.current(tenant, minutes(30), HOUR))?.leaseId).toBe(first.lease.leaseId);

    const second = await l.acquire(tenant, minutes(61), HOUR, "manual");
    if (!second.acquired) throw new Error("expired lease not taken over");
    // The first check finishing late must not free the lease of the check queued after it.
    expect(await l.release(tenant, first.lease.leaseId)).toBe(false);
    expect((await l.current(tenant, minutes(62), HOUR))?.reason).toBe("manual");
    expect(await l.release(tenant, second.lease.leaseId)).toBe(true);
    expect(await l.current(tenant, minutes(62), HOUR)).toBeUndefined();
    expect(await l.release(tenant, second.lease.leaseId)).toBe(false);

    await l.acquire(tenant, minutes(70), HOUR, "schedule");
    await l.clear(tenant);
    await l.clear(tenant);
    expect(await l.current(tenant, minutes(70), HOUR)).toBeUndefined();
  });

  it("a lease ending ten years ahead (a host's clock far ahead, a hand edit) blocks nobody: it is taken over and rewritten", async () => {
    const TEN_YEARS = 10 * 365 * 24 * HOUR;
    const l = leases();
    // As a host whose clock said 2036 would have written it.
    const broken = await l.acquire(tenant, new Date(t0.getTime() + TEN_YEARS), HOUR, "schedule");
    if (!broken.acquired) throw new Error("not acquired");
    expect(await l.current(tenant, minutes(1), HOUR)).toBeUndefined();
    const taken = await l.acquire(tenant, minutes(1), HOUR, "schedule");
    expect(taken).toMatchObject({ acquired: true, lease: { leasedUntil: minutes(61).toISOString() } });
    // The rewritten lease is an ordinary one: it blocks for its hour, then is taken over.
    expect(await l.acquire(tenant, minutes(30), HOUR, "schedule")).toMatchObject({ acquired: false });
    // A check starting finds the same: a far-future lease of another check is not a duplicate to skip.
    await l.clear(tenant);
    await l.acquire(tenant, new Date(t0.getTime() + TEN_YEARS), HOUR, "schedule");
    expect(await l.claim(tenant, "mine", minutes(2), HOUR, "manual")).toMatchObject({ claimed: true, lease: { leasedUntil: minutes(62).toISOString() } });
  });

  it("claim: the holder renews for a full term, an expired or absent lease is taken, another live lease is not; racing claims have one winner", async () => {
    const l = leases();
    const got = await l.acquire(tenant, t0, HOUR, "schedule");
    if (!got.acquired) throw new Error("not acquired");
    // The holder's check starts 50 minutes later: its lease now runs a full hour from there.
    expect(await l.claim(tenant, got.lease.leaseId, minutes(50), HOUR, "schedule")).toMatchObject({
      claimed: true,
      renewed: true,
      lease: { leaseId: got.lease.leaseId, leasedUntil: minutes(110).toISOString(), acquiredAt: t0.toISOString() },
    });
    // Another message while it is live: a duplicate.
    expect(await l.claim(tenant, "other", minutes(100), HOUR, "manual")).toEqual({
      claimed: false,
      heldBy: got.lease.leaseId,
      heldUntil: minutes(110).toISOString(),
    });
    // Once it ran out, another message takes it over, and the first can no longer release it.
    expect(await l.claim(tenant, "other", minutes(111), HOUR, "manual")).toMatchObject({ claimed: true, renewed: false, lease: { leaseId: "other" } });
    expect(await l.release(tenant, got.lease.leaseId)).toBe(false);
    expect(await l.release(tenant, "other")).toBe(true);

    const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => l.claim(tenant, `racer-${i}`, minutes(200), HOUR, "manual")));
    expect(racers.filter((r) => r.claimed)).toHaveLength(1);
  });
});
