/** The month's Azure cost (bench/cost.ts, bench/month.ts): counters of one run times the runs in a month, at the list prices. */
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, monthCost, PRICES, type MonthInput, type RunCounters } from "../../../bench/cost.js";
import { costOfMonth } from "../../../bench/month.js";

const run: RunCounters = { tenants: 1000, executions: 1001, instanceSeconds: 90, tableTransactions: 5000, queueClass1: 2000, queueClass2: 1000 };
const base: MonthInput = {
  run,
  periodMs: 30 * 60_000,
  instanceMemoryMb: 2048,
  fixed: { executions: 0, tableTransactions: 0, queueClass2: 0, emails: 0 },
  perTenants: 1000,
  freeGrant: false,
};

describe("monthCost", () => {
  it("runs 1,460 times in Azure's 730-hour month at every 30 minutes", () => {
    expect(HOURS_PER_MONTH).toBe(730);
    expect(monthCost(base).runsPerMonth).toBe(1460);
  });

  it.each([
    // [what, input change, usage key, expected usage, usd key, expected usd]
    ["executions: 1,001 a run", {}, "executions", 1_461_460, "executions", 0.58],
    ["GB-seconds: 90 s of a 2 GB instance a run", {}, "gbSeconds", 262_800, "gbSeconds", 6.83],
    ["GB-seconds: half the memory, half the GB-s", { instanceMemoryMb: 1024 }, "gbSeconds", 131_400, "gbSeconds", 3.42],
    ["table transactions: 5 per tenant", {}, "tableTransactions", 7_300_000, "tables", 0.26],
    ["queues: 2 class-1 and 1 class-2 per tenant", {}, "queueClass1", 2_920_000, "queues", 1.75],
    ["email: the digests", { fixed: { executions: 0, tableTransactions: 0, queueClass2: 0, emails: 30 } }, "emails", 30, "email", 0.01],
    ["per 2,000 tenants: twice the GB-s", { perTenants: 2000 }, "gbSeconds", 525_600, "gbSeconds", 13.67],
    ["every hour: half the runs", { periodMs: 3_600_000 }, "gbSeconds", 131_400, "gbSeconds", 3.42],
  ] as const)("%s", (_what, change, usageKey, usage, usdKey, usd) => {
    const cost = monthCost({ ...base, ...change });
    expect(cost.usage[usageKey]).toBe(usage);
    expect(cost.usd[usdKey]).toBeCloseTo(usd, 2);
  });

  it("takes the free grant off executions and GB-seconds only, never below zero", () => {
    const small = monthCost({ ...base, run: { ...run, tenants: 1000, instanceSeconds: 10 }, freeGrant: true });
    expect(small.usage.gbSeconds).toBe(29_200);
    expect(small.usd.gbSeconds).toBe(0);
    const granted = monthCost({ ...base, freeGrant: true });
    expect(granted.usd.gbSeconds).toBeCloseTo((262_800 - PRICES.flexFreeGbSeconds) * PRICES.flexExecutionPerGbSecond, 2);
    expect(granted.usd.tables).toBe(monthCost(base).usd.tables);
  });

  it("adds the lines up to the total, and says when the prices were read", () => {
    const cost = monthCost(base);
    const { total, ...lines } = cost.usd;
    expect(total).toBeCloseTo(
      Object.values(lines).reduce((a, b) => a + b, 0),
      1,
    );
    expect(cost.pricesReadAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("refuses a run of no tenants rather than dividing by zero", () => {
    expect(() => monthCost({ ...base, run: { ...run, tenants: 0 } })).toThrow(RangeError);
  });
});

describe("costOfMonth (the bench's month)", () => {
  it("prices the default schedule per 1,000 tenants, with the sweep and digest timers and the daily digest email", () => {
    const cost = costOfMonth({ ...run, tenants: 500, executions: 501, instanceSeconds: 45, tableTransactions: 2500, queueClass1: 1000, queueClass2: 500 });
    expect(cost.runsPerMonth).toBe(1460);
    // Scaled to 1,000 tenants: the same as the 1,000-tenant run above, plus 8,760 sweeps and 30 digests.
    expect(cost.usage.gbSeconds).toBe(262_800);
    expect(cost.usage.executions).toBe(1_462_920 + 8_760 + 30);
    expect(cost.usage.emails).toBe(30);
    expect(cost.assumptions.join("\n")).toContain("0 */30 * * * *");
  });
});
