/** The periodic reads' offset per account: a tenant's first account keeps the tenant's, another has its own. */
import { describe, expect, it } from "vitest";
import { periodKeyOf } from "../../../lib/graph/facts/due.js";
import { periodOf } from "../../../lib/graph/facts/periods.js";

const TENANT = "d7f00000-0000-4000-8000-000000000001";

describe("periodKeyOf", () => {
  it.each([
    [undefined, TENANT],
    ["", TENANT],
    ["0123456789ab", `${TENANT}|0123456789ab`],
  ])("account key %j: %s", (accountKey, expected) => {
    expect(periodKeyOf({ tenantId: TENANT, ...(accountKey === undefined ? {} : { accountKey }) })).toBe(expected);
  });

  it("a tenant's accounts come due in different runs: over a day of half-hourly runs, their turns differ", () => {
    const keys = ["", "0123456789ab", "ba9876543210"].map((accountKey) => periodKeyOf({ tenantId: TENANT, accountKey }));
    const turnOf = (key: string): number => {
      // The first half-hour run of the day at which the key's 24-hour period turns.
      const start = Date.parse("2026-12-07T00:00:00Z");
      const first = periodOf(key, start, 24);
      for (let run = 1; run <= 48; run += 1) if (periodOf(key, start + run * 1_800_000, 24) !== first) return run;
      return 0;
    };
    expect(new Set(keys.map(turnOf)).size).toBe(3);
  });
});
