/** The storage service's clock as one process learns it from the ledger's writes (NTP-style samples). */
import { describe, expect, it } from "vitest";
import { etagTime, ServerClock } from "../../../lib/store/monitor/server-clock.js";

describe("etagTime", () => {
  it.each([
    { etag: `W/"datetime'2026-12-01T03%3A53%3A07.3959632Z'"`, ms: Date.parse("2026-12-01T03:53:07.395Z") },
    { etag: `W/"0x8DC1234567890AB"`, ms: undefined },
    { etag: undefined, ms: undefined },
    { etag: `W/"datetime'not-a-date'"`, ms: undefined },
  ])("$etag → $ms", ({ etag, ms }) => {
    expect(etagTime(etag)).toBe(ms);
  });
});

describe("ServerClock", () => {
  it("offset from the round trip's midpoint, uncertain by half of it, growing with age", () => {
    const c = new ServerClock();
    // Sent at 1 000, answered at 1 040 (wall = mono here), stamped 6 020 by the service: 5 000 ahead, ± 20.
    c.observe(6_020, 1_000, 1_040, 1_040);
    expect(c.at(1_040, 1_040)).toEqual({ offsetMs: 5_000, uncertaintyMs: 20 });
    expect(c.at(11_040, 11_040)?.uncertaintyMs).toBeCloseTo(25, 5);
  });
  it("keeps the tighter sample", () => {
    const c = new ServerClock();
    c.observe(6_020, 1_000, 1_040, 1_040);
    c.observe(6_500, 1_400, 1_600, 1_600);
    expect(c.at(1_600, 1_600)?.offsetMs).toBe(5_000);
    c.observe(7_004, 2_000, 2_010, 2_010);
    expect(c.at(2_010, 2_010)).toEqual({ offsetMs: 4_999, uncertaintyMs: 5 });
  });
  it("forgets a sample when the wall clock steps, but not when it is slewed within the drift allowance", () => {
    const c = new ServerClock();
    c.observe(6_020, 1_000, 1_040, 1_040);
    // 10 s on the monotonic clock, 10.004 s on the wall clock: a slew.
    expect(c.at(11_044, 11_040)).toBeDefined();
    // A second's step.
    expect(c.at(12_040, 11_040)).toBeUndefined();
    expect(c.at(11_040, 11_040)).toBeUndefined();
  });
  it("forgets a sample older than its maximum age", () => {
    const c = new ServerClock(60_000);
    c.observe(6_020, 1_000, 1_040, 1_040);
    expect(c.at(61_041, 61_041)).toBeUndefined();
  });
});
