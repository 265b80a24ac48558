import { describe, expect, it } from "vitest";
import { fourEyesFor } from "../../../lib/remediation/four-eyes.js";

describe("fourEyesFor", () => {
  it.each([
    [undefined, true, true],
    [undefined, false, false],
    [{}, true, true],
    [{ fixApproval: "required" as const }, false, true],
    [{ fixApproval: "not-required" as const }, true, false],
  ])("tenant %j, estate %s → %s", (tenant, estate, expected) => {
    expect(fourEyesFor(tenant, estate)).toBe(expected);
  });
});
