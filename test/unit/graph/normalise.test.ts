import { describe, expect, it } from "vitest";
import { toAuthMethods } from "../../../lib/graph/facts/auth-methods.js";
import { toCaPolicies } from "../../../lib/graph/facts/conditional-access-policies.js";
import { toMembership } from "../../../lib/graph/facts/membership.js";
import { toRegistrationCampaign } from "../../../lib/graph/facts/registration-campaign.js";
import { toRegistrationDetails } from "../../../lib/graph/facts/registration-details.js";
import { toSignIns } from "../../../lib/graph/facts/sign-ins.js";
import { baselinePolicies } from "../../../sim/estate/baseline/index.js";

describe("toCaPolicies", () => {
  it("parses the sample baseline as Graph beta lists it whole, keeping unknown fields and dropping @odata annotations", () => {
    const raw = baselinePolicies();
    expect(JSON.stringify(raw)).toContain('"includeUsers@odata.type":"#Collection(String)"');
    const r = toCaPolicies(raw);
    if (!r.ok) throw new Error(r.problem);
    expect(r.value).toHaveLength(35);
    const text = JSON.stringify(r.value);
    expect(text).not.toContain("@odata");
    // Fields the model does not name survive: agent-identity conditions, templateId, the restore action.
    expect(r.value.filter((p) => typeof p.conditions?.["agentIdRiskLevels"] === "string").map((p) => p.conditions?.["agentIdRiskLevels"])).toEqual([
      "high",
      "medium,high",
    ]);
    expect(text).toContain('"includeAgentIdServicePrincipals":["All"]');
    expect(text).toContain('"agentIdServicePrincipalFilter":{"mode":"include"');
    expect(r.value.every((p) => "templateId" in p && "#microsoft.graph.restore" in p)).toBe(true);
    expect(text).toContain("AllAgentIdResources");
    expect(r.value.some((p) => p.conditions?.applications?.includeApplications?.includes("None"))).toBe(true);
  });
  it("a policy without an id is an invalid response, not a crash", () => {
    const r = toCaPolicies([{ displayName: "x", state: "enabled" }]);
    expect(r).toMatchObject({ ok: false });
  });
});

describe("toMembership", () => {
  it("splits groups and active directory roles, ignoring other types", () => {
    const r = toMembership([
      { "@odata.type": "#microsoft.graph.group", id: "g1", displayName: "Automation" },
      {
        "@odata.type": "#microsoft.graph.directoryRole",
        id: "r1",
        displayName: "Global Administrator",
        roleTemplateId: "62e90394-69f5-4237-9190-012177145e10",
      },
      { "@odata.type": "#microsoft.graph.administrativeUnit", id: "au1", displayName: "AU" },
    ]);
    expect(r).toEqual({
      ok: true,
      value: {
        groups: [{ id: "g1", displayName: "Automation" }],
        roles: [{ id: "r1", displayName: "Global Administrator", roleTemplateId: "62e90394-69f5-4237-9190-012177145e10" }],
      },
    });
  });
});

describe("toAuthMethods", () => {
  it("types from @odata.type, safe labels, never secrets", () => {
    const r = toAuthMethods([
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490", password: null },
      { "@odata.type": "#microsoft.graph.phoneAuthenticationMethod", id: "3179e48a", phoneNumber: "+1 2065555555", phoneType: "mobile" },
      { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", id: "m1", displayName: "Pixel 8" },
      { "@odata.type": "#microsoft.graph.emailAuthenticationMethod", id: "e1", emailAddress: "svc.recovery@contoso.com" },
      { "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod", id: "s1", secretKey: "JBSWY3DPEHPK3PXP" },
      { "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod", id: "t1", temporaryAccessPass: "TAPsecret" },
    ]);
    if (!r.ok) throw new Error(r.problem);
    expect(r.value).toEqual([
      { id: "28c10230-6103-485e-b985-444c60001490", type: "passwordAuthenticationMethod", label: null },
      { id: "3179e48a", type: "phoneAuthenticationMethod", label: "mobile ending 55" },
      { id: "m1", type: "microsoftAuthenticatorAuthenticationMethod", label: "Pixel 8" },
      { id: "e1", type: "emailAuthenticationMethod", label: "s***@contoso.com" },
      { id: "s1", type: "softwareOathAuthenticationMethod", label: null },
      { id: "t1", type: "temporaryAccessPassAuthenticationMethod", label: null },
    ]);
    expect(JSON.stringify(r.value)).not.toMatch(/JBSWY|TAPsecret|2065555555/);
  });
});

describe("toSignIns", () => {
  it("newest first, error code from status", () => {
    const r = toSignIns([
      { id: "a", createdDateTime: "2026-01-01T01:00:00Z", status: { errorCode: 0, failureReason: null } },
      { id: "b", createdDateTime: "2026-01-01T03:00:00Z", status: { errorCode: 50076, failureReason: "MFA required" }, isInteractive: false },
      { id: "c", createdDateTime: "2026-01-01T02:00:00Z", status: { errorCode: 53003 } },
    ]);
    if (!r.ok) throw new Error(r.problem);
    expect(r.value.map((s) => [s.id, s.errorCode])).toEqual([
      ["b", 50076],
      ["c", 53003],
      ["a", 0],
    ]);
    expect(r.value[0]).toMatchObject({ failureReason: "MFA required", isInteractive: false, appId: null, resourceId: null });
  });
  it("keeps the resource id, lower case, that the mandatory-MFA rule matches ARM by", () => {
    const r = toSignIns([
      { id: "a", createdDateTime: "2026-01-01T01:00:00Z", resourceId: "797F4846-BA00-4FD7-BA43-DAC1F8F63013", status: { errorCode: 50076 } },
      { id: "b", createdDateTime: "2026-01-01T00:00:00Z", resourceId: "", status: { errorCode: 50076 } },
    ]);
    if (!r.ok) throw new Error(r.problem);
    expect(r.value.map((s) => s.resourceId)).toEqual(["797f4846-ba00-4fd7-ba43-dac1f8f63013", null]);
  });
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      "client app and place, as an emergency access sign-in notice names them",
      { clientAppUsed: "Browser", location: { city: "Seattle", state: "Washington", countryOrRegion: "US", geoCoordinates: {} } },
      { clientAppUsed: "Browser", city: "Seattle", countryOrRegion: "US" },
    ],
    ["no location object", { clientAppUsed: null }, { clientAppUsed: null, city: null, countryOrRegion: null }],
    ["a location without a city", { location: { city: "", countryOrRegion: "NL" } }, { clientAppUsed: null, city: "", countryOrRegion: "NL" }],
  ])("reads %s", (_name, raw, read) => {
    const r = toSignIns([{ id: "a", createdDateTime: "2026-01-01T01:00:00Z", status: { errorCode: 0 }, ...raw }]);
    if (!r.ok) throw new Error(r.problem);
    expect(r.value[0]).toMatchObject(read);
  });
});

describe("toRegistrationDetails / toRegistrationCampaign", () => {
  it("accepts the entity bare or wrapped in value (as Microsoft's example shows)", () => {
    const d = {
      id: "u",
      isMfaRegistered: true,
      isMfaCapable: true,
      methodsRegistered: ["microsoftAuthenticatorPush"],
      lastUpdatedDateTime: "2026-01-01T00:00:00Z",
    };
    expect(toRegistrationDetails(d)).toEqual(toRegistrationDetails({ value: d }));
    expect(toRegistrationDetails(d)).toMatchObject({ ok: true, value: { isMfaRegistered: true, methodsRegistered: ["microsoftAuthenticatorPush"] } });
  });
  it("reads the campaign targets", () => {
    const r = toRegistrationCampaign({
      id: "authenticationMethodsPolicy",
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          snoozeDurationInDays: 1,
          state: "enabled",
          excludeTargets: [],
          includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }],
        },
      },
    });
    expect(r).toEqual({
      ok: true,
      value: {
        state: "enabled",
        snoozeDurationInDays: 1,
        includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }],
        excludeTargets: [],
      },
    });
  });
});
