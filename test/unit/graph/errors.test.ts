import { describe, expect, it } from "vitest";
import { classifyHttpFailure, isLicenceError } from "../../../lib/graph/errors.js";
import { FACTS } from "../../../lib/graph/facts/index.js";

const licence = {
  error: { code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license" },
};

describe("classifyHttpFailure", () => {
  it("403 names the permission of the request", () => {
    const f = classifyHttpFailure(FACTS.conditionalAccessPolicies, 403, { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } });
    expect(f).toMatchObject({ ok: false, code: "forbidden", permission: "Policy.Read.All", httpStatus: 403 });
    expect(f.reason).toContain("Policy.Read.All");
  });
  it("401 is forbidden too", () => {
    expect(classifyHttpFailure(FACTS.authMethods, 401, undefined)).toMatchObject({ code: "forbidden", permission: "UserAuthenticationMethod.Read.All" });
  });
  it("the premium-licence answer is unlicensed, by code or by message, on 403 or 401", () => {
    expect(classifyHttpFailure(FACTS.signIns, 403, licence)).toMatchObject({ code: "unlicensed", httpStatus: 403 });
    expect(
      classifyHttpFailure(FACTS.registrationDetails, 401, { error: { code: "Forbidden", message: "Tenant does not have premium license" } }),
    ).toMatchObject({
      code: "unlicensed",
    });
    expect(classifyHttpFailure(FACTS.registrationDetails, 403, licence).permission).toBeUndefined();
  });
  it("429 after retries is throttled, 5xx unavailable, other 4xx unavailable", () => {
    expect(classifyHttpFailure(FACTS.conditionalAccessPolicies, 429, undefined).code).toBe("throttled");
    expect(classifyHttpFailure(FACTS.securityDefaults, 503, undefined).code).toBe("unavailable");
    expect(classifyHttpFailure(FACTS.securityDefaults, 504, "gateway").code).toBe("unavailable");
    expect(classifyHttpFailure(FACTS.perUserMfa, 400, { error: { code: "BadRequest", message: "x" } })).toMatchObject({ code: "unavailable", httpStatus: 400 });
  });
});

describe("isLicenceError", () => {
  it.each([
    [licence, true],
    [{ error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } }, false],
    [undefined, false],
    ["text", false],
    [{ error: "x" }, false],
  ])("%j → %s", (body, expected) => {
    expect(isLicenceError(body)).toBe(expected);
  });
});
