/** The bench estate's second monitored account: in the fraction of tenants asked for, evenly spread, with the emergency-access account's data. */
import { describe, expect, it } from "vitest";
import { DEFAULT_MULTI_ACCOUNT_SHARE, generateEstate, hasSecondAccount } from "../../../bench/estate.js";

const GA = "62e90394-69f5-4237-9190-012177145e10";

describe("bench estate with two accounts in some tenants", () => {
  it("gives a tenth of the tenants (the default) two monitored accounts, the same tenants every time", () => {
    expect(DEFAULT_MULTI_ACCOUNT_SHARE).toBe(0.1);
    const { tenants } = generateEstate(1000);
    const two = tenants.filter((t) => t.accounts.length === 2);
    expect(two).toHaveLength(100);
    expect(two.map((t) => tenants.indexOf(t)).slice(0, 3)).toEqual([9, 19, 29]);
    expect(two[0]?.accounts).toEqual([
      { ref: "svc-connect@bench.example", kind: "connection" },
      { ref: "breakglass@bench.example", kind: "emergency-access" },
    ]);
    expect(tenants.filter((t) => t.accounts.length === 1).every((t) => t.accounts[0]?.ref === t.account)).toBe(true);
  });

  it.each([
    [0, 0],
    [0.25, 25],
    [1, 100],
  ])("multiAccountShare %s: %s of 100 tenants", (fraction, count) => {
    expect(generateEstate(100, { multiAccountShare: fraction }).tenants.filter((t) => t.accounts.length === 2)).toHaveLength(count);
    expect(Array.from({ length: 100 }, (_, i) => hasSecondAccount(i, fraction)).filter(Boolean)).toHaveLength(count);
  });

  it("refuses a fraction outside 0 to 1", () => {
    expect(() => generateEstate(10, { multiAccountShare: 1.5 })).toThrow(RangeError);
    expect(() => generateEstate(10, { multiAccountShare: Number.NaN })).toThrow(RangeError);
  });

  it("serves the second account as an emergency-access account; the first account's data is the same either way", () => {
    const { estate, tenants } = generateEstate(20, { multiAccountShare: 0.5 });
    const withTwo = estate.tenants[tenants.findIndex((t) => t.accounts.length === 2)]!;
    const breakGlass = withTwo.users.find((u) => u.userPrincipalName === "breakglass@bench.example")!;
    expect(withTwo.users.filter((u) => u.userPrincipalName === "breakglass@bench.example")).toHaveLength(1);
    expect(withTwo.roleAssignments.filter((a) => a.principalId === breakGlass.id)).toEqual([
      expect.objectContaining({ roleDefinitionId: GA, directoryScopeId: "/" }),
    ]);
    expect(withTwo.authenticationMethods[breakGlass.id]?.map((m) => m["@odata.type"])).toContain("#microsoft.graph.fido2AuthenticationMethod");
    expect(withTwo.signIns.filter((s) => s.userId === breakGlass.id)).toEqual([]);
    const one = generateEstate(20, { multiAccountShare: 0 }).estate.tenants[tenants.indexOf(tenants.find((t) => t.accounts.length === 2)!)]!;
    const account = (t: typeof one) => t.users.find((u) => u.userPrincipalName === "svc-connect@bench.example");
    expect(account(withTwo)).toEqual(account(one));
    expect(withTwo.conditionalAccessPolicies).toEqual(one.conditionalAccessPolicies);
    expect(withTwo.signIns).toEqual(one.signIns);
  });
});
