/** The benchmark's estate with a share of the tenants monitoring two accounts, and the closing note on report requests per check. */
import { describe, expect, it } from "vitest";
import { generateEstate, hasSecondAccount } from "../../../bench/estate.js";
import { reportRequestsNote } from "../../../bench/lower-bound.js";

describe("bench estate: --multi-account-share", () => {
  it.each([
    [0, 0],
    [0.1, 100],
    [0.25, 250],
    [1, 1000],
  ])("share %d: %d of 1,000 tenants have a second account, spread over the estate", (share, expected) => {
    const { tenants } = generateEstate(1000, { multiAccountShare: share });
    const two = tenants.filter((t) => t.accounts.length === 2);
    expect(two).toHaveLength(expected);
    if (share > 0 && share < 1) expect(hasSecondAccount(0, share)).toBe(false);
    for (const t of two) expect(t.accounts.map((a) => a.kind)).toEqual(["connection", "emergency-access"]);
  });

  it("the second account is a user of the tenant the simulator serves", () => {
    const { estate, tenants } = generateEstate(10, { multiAccountShare: 1 });
    for (const [i, t] of tenants.entries()) {
      const upns = estate.tenants[i]?.users.map((u) => u.userPrincipalName) ?? [];
      for (const a of t.accounts) expect(upns).toContain(a.ref);
    }
  });
});

describe("bench closing note", () => {
  it("gives the report requests per check and what they were for", () => {
    expect(reportRequestsNote({ kind: "steady state", reportRequests: 1052, checks: 1000, accounts: 1100 })).toBe(
      "steady state: 1.05 report requests per check (1052 for 1000 checks of 1100 monitored accounts)",
    );
  });
});
