/** The tenant's one sign-in request: its $filter names every monitored account, each read as its profile asks (failures only, or every sign-in). */
import { describe, expect, it } from "vitest";
import { signInsFilter, tenantSignInsFilter } from "../../../lib/graph/facts/sign-ins.js";

const SINCE = "2026-12-06T00:00:00.000Z";
const WINDOW = `createdDateTime ge ${SINCE} and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`;
/**
 * The failures the sign-ins check reads (lib/checks/sign-ins/causes.ts), written out: a filter built
 * from the product's own list would agree with whatever that list became.
 */
const FAILURES = [50072, 50074, 50076, 50079, 53003, 53000, 53001, 53002, 530032, 530035, 53004, 50135, 50055, 50125, 50126, 50053, 50057, 50173, 50133];
/** One account's filter before the tenant's one request named several: only the failures, of the account's userId. */
const ONE_ACCOUNT = `userId eq 'a' and ${WINDOW} and (${FAILURES.map((code) => `status/errorCode eq ${code}`).join(" or ")})`;
const CODES = /\(status\/errorCode eq \d+( or status\/errorCode eq \d+)+\)/;

describe("tenantSignInsFilter", () => {
  it("one connection account: the filter it always had", () => {
    expect(tenantSignInsFilter([{ objectId: "a", everySignIn: false }], SINCE)).toBe(ONE_ACCOUNT);
    expect(signInsFilter("a", SINCE)).toBe(ONE_ACCOUNT);
  });

  it.each([
    [
      "two connection accounts: both named, their failures",
      [false, false],
      /^\(userId eq 'a' or userId eq 'b'\) and createdDateTime ge .* and \(status\/errorCode eq /,
    ],
    [
      "emergency access only: every sign-in, no failure codes",
      [true, true],
      /^\(userId eq 'a' or userId eq 'b'\) and createdDateTime ge [^(]*signInEventTypes\/any\([^)]*\)$/,
    ],
    [
      "one of each: the connection account's failures or every sign-in of the other",
      [false, true],
      /^\(\(userId eq 'a' and \(status\/errorCode eq .*\)\) or userId eq 'b'\) and createdDateTime ge /,
    ],
  ])("%s", (_name, every, pattern) => {
    const filter = tenantSignInsFilter(
      every.map((everySignIn, i) => ({ objectId: "ab"[i] ?? "", everySignIn })),
      SINCE,
    );
    expect(filter).toMatch(pattern);
    expect(filter).toContain(WINDOW);
    expect(CODES.test(filter)).toBe(every.includes(false));
  });

  it("an object id with a quote is escaped; the same id twice is named once; none is refused", () => {
    expect(tenantSignInsFilter([{ objectId: "o'x", everySignIn: true }], SINCE)).toContain("userId eq 'o''x'");
    expect(
      tenantSignInsFilter(
        [
          { objectId: "a", everySignIn: true },
          { objectId: "a", everySignIn: true },
        ],
        SINCE,
      ).match(/userId eq/g),
    ).toHaveLength(1);
    expect(() => tenantSignInsFilter([], SINCE)).toThrow(/no account/);
  });
});
