/** The ID token's claims against what the dashboard expects: issuer, audience, tenant, time, person, role. Pure. */
import { describe, expect, it } from "vitest";
import { CLOCK_SKEW_SECONDS, checkIdTokenClaims, entraIssuer, type IdTokenExpectations } from "../../../lib/dashboard/id-token.js";

const TENANT = "0b5e3f4a-1111-4222-8333-944455556666";
const OTHER_TENANT = "9a8b7c6d-2222-4333-8444-555566667777";
const CLIENT = "3c1f2e4d-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const OID = "7d0c4b1e-aaaa-4bbb-8ccc-dddddddddddd";
const NOW = 1_772_438_400; // 2026-03-02T08:00:00Z
const ROLE = "DriftMonitor.Operator";

const expect_: IdTokenExpectations = { issuer: entraIssuer("https://login.microsoftonline.com", TENANT), audience: CLIENT, tenantId: TENANT, role: ROLE };

const genuine = {
  iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  aud: CLIENT,
  tid: TENANT,
  oid: OID,
  iat: NOW - 60,
  nbf: NOW - 60,
  exp: NOW + 3540,
  name: "Ada Operator",
  roles: [ROLE],
};

describe("entraIssuer", () => {
  it.each([
    ["https://login.microsoftonline.com", TENANT, `https://login.microsoftonline.com/${TENANT}/v2.0`],
    ["https://login.microsoftonline.us/", TENANT.toUpperCase(), `https://login.microsoftonline.us/${TENANT}/v2.0`],
  ])("%s + %s → %s", (authority, tenant, issuer) => {
    expect(entraIssuer(authority, tenant)).toBe(issuer);
  });
});

describe("checkIdTokenClaims", () => {
  it.each<[string, Record<string, unknown>, string, 200 | 401 | 403, string]>([
    ["a genuine token of the operator's person with the role", {}, OID, 200, ""],
    ["the tenant id and audience in capitals", { tid: TENANT.toUpperCase(), aud: CLIENT.toUpperCase() }, OID.toUpperCase(), 200, ""],
    ["an audience list that holds the app", { aud: ["api://other", CLIENT] }, OID, 200, ""],
    ["expired, but within the clock skew", { exp: NOW - CLOCK_SKEW_SECONDS + 1 }, OID, 200, ""],
    ["not valid yet, but within the clock skew", { nbf: NOW + CLOCK_SKEW_SECONDS - 1 }, OID, 200, ""],
    ["another tenant's issuer", { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }, OID, 401, "issued by"],
    ["the v1.0 issuer (sts.windows.net)", { iss: `https://sts.windows.net/${TENANT}/` }, OID, 401, "issued by"],
    ["the tenant-independent issuer template", { iss: "https://login.microsoftonline.com/{tenantid}/v2.0" }, OID, 401, "issued by"],
    ["another tenant's tid under the operator's issuer", { tid: OTHER_TENANT }, OID, 401, "another tenant"],
    ["another application's audience", { aud: "00000003-0000-0000-c000-000000000000" }, OID, 401, "another application"],
    ["an audience list without the app", { aud: ["api://other"] }, OID, 401, "another application"],
    ["expired beyond the clock skew", { exp: NOW - CLOCK_SKEW_SECONDS }, OID, 401, "expired"],
    ["not valid until beyond the clock skew", { nbf: NOW + CLOCK_SKEW_SECONDS + 1 }, OID, 401, "not valid yet"],
    ["another person's token under this principal", {}, "11111111-2222-4333-8444-555555555555", 401, "not the person"],
    ["no expiry", { exp: undefined }, OID, 401, "exp"],
    ["no object id", { oid: undefined }, OID, 401, "oid"],
    ["no tenant id", { tid: undefined }, OID, 401, "tid"],
    ["an expiry that is text", { exp: String(NOW + 60) }, OID, 401, "exp"],
    ["the operator's person without the role", { roles: ["Reader"] }, OID, 403, ROLE],
    ["the operator's person without any role", { roles: undefined }, OID, 403, ROLE],
  ])("%s → %i", (_, change, principalOid, status, why) => {
    const claims = Object.fromEntries(Object.entries({ ...genuine, ...change }).filter(([, v]) => v !== undefined));
    const r = checkIdTokenClaims(claims, expect_, NOW, principalOid);
    if (status === 200) {
      expect(r).toEqual({ ok: true, person: { oid: claims.oid, name: "Ada Operator", roles: claims.roles } });
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.status).toBe(status);
        expect(r.why).toContain(why);
      }
    }
  });

  it("admits any signed-in person of the tenant when no role is required", () => {
    const r = checkIdTokenClaims({ ...genuine, roles: undefined }, { ...expect_, role: null }, NOW, OID);
    expect(r).toEqual({ ok: true, person: { oid: OID, name: "Ada Operator", roles: [] } });
  });

  it.each([null, "a string", 42, []])("refuses claims that are not an object: %j", (claims) => {
    expect(checkIdTokenClaims(claims, expect_, NOW, OID)).toMatchObject({ ok: false, status: 401 });
  });
});
