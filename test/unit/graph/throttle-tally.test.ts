/** Graph's 429s per tenant (lib/graph/throttle-tally.ts): added by the client, taken once by the check's log line. */
import { describe, expect, it } from "vitest";
import { ThrottleTally } from "../../../lib/graph/throttle-tally.js";

describe("ThrottleTally", () => {
  it("adds per tenant and resets a tenant's count when it is taken", () => {
    const tally = new ThrottleTally();
    tally.add("a", 1);
    tally.add("a", 2);
    tally.add("b", 5);
    expect(tally.take("a")).toBe(3);
    expect(tally.take("a")).toBe(0);
    expect(tally.take("b")).toBe(5);
    expect(tally.take("never")).toBe(0);
  });
});
