import { describe, expect, it } from "vitest";
import { classifyHttpFailure, isLicenceError, licenceError } from "../../../lib/graph/errors.js";
import { FACTS } from "../../../lib/graph/facts/index.js";

/** PIM without Entra ID P2 / ID Governance: Graph answers 400, not 403. */
const pimLicence = {
  error: { code: "AadPremiumLicenseRequired", message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license." },
};

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
  it("the facts that need Entra ID P1 name P1 in their licence reason", () => {
    expect(classifyHttpFailure(FACTS.signIns, 403, licence).reason).toMatch(/^The tenant has no Entra ID P1 licence, which the account's sign-ins need/);
  });
  it("PIM's 400 AadPremiumLicenseRequired is unlicensed (not an error), naming Entra ID P2 or Microsoft Entra ID Governance", () => {
    const f = classifyHttpFailure(FACTS.roleEligibility, 400, pimLicence);
    expect(f).toMatchObject({ ok: false, code: "unlicensed", httpStatus: 400 });
    expect(f.reason).toMatch(/^The tenant has no Entra ID P2 or Microsoft Entra ID Governance licence, which the account's eligible roles need/);
    expect(f.permission).toBeUndefined();
    // The older wording of the same answer.
    expect(classifyHttpFailure(FACTS.roleEligibility, 400, { error: { code: "BadRequest", message: "The tenant needs an AAD Premium 2 license." } }).code).toBe(
      "unlicensed",
    );
  });
  it("Identity Protection's 403 'not licensed for this feature' is unlicensed (P2), not a permission to grant; a plain 403 still names the permission", () => {
    const body = { error: { code: "Forbidden", message: "Your tenant is not licensed for this feature." } };
    expect(classifyHttpFailure(FACTS.riskyUser, 403, body)).toMatchObject({ code: "unlicensed", httpStatus: 403 });
    expect(classifyHttpFailure(FACTS.riskyUser, 403, body).permission).toBeUndefined();
    // ID Governance includes PIM, not Identity Protection: the reason names Entra ID P2 alone.
    expect(classifyHttpFailure(FACTS.riskyUser, 403, body).reason).toMatch(/^The tenant has no Entra ID P2 licence, which the account's user risk needs/);
    const denied = classifyHttpFailure(FACTS.riskyUser, 403, { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } });
    expect(denied).toMatchObject({ code: "forbidden", permission: "IdentityRiskyUser.Read.All" });
    // On an endpoint that needs no licence, the same words are no licence gap.
    expect(classifyHttpFailure(FACTS.securityDefaults, 403, body).code).toBe("forbidden");
  });
  it("a licence-looking 400 on an endpoint that needs no licence stays a failure", () => {
    expect(classifyHttpFailure(FACTS.securityDefaults, 400, pimLicence)).toMatchObject({ code: "unavailable", httpStatus: 400 });
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
  it("names the licence the answer is about", () => {
    expect(licenceError(licence)).toBe("Entra ID P1");
    expect(licenceError(pimLicence)).toBe("Entra ID P2");
    expect(licenceError({ error: { code: "Forbidden", message: "Azure AD Premium P2 is required" } })).toBe("Entra ID P2");
    expect(licenceError({ error: { code: "Forbidden", message: "Insufficient privileges" } })).toBeUndefined();
  });
});
