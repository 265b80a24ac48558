import { describe, expect, it } from "vitest";
import { classifyProbe } from "../../../cli/doctor/classify.js";
import { accountProbe, factProbes, PLACEHOLDER_OBJECT_ID, requiredPermissions } from "../../../cli/doctor/probes.js";
import { summariseLicences, summarisePermissions, verdict } from "../../../cli/doctor/summarise.js";
import { tokenFailure } from "../../../cli/doctor/token.js";
import { tokenRoles } from "../../../lib/graph/jwt.js";
import type { ProbeResult } from "../../../cli/doctor/types.js";

const NOW = new Date("2026-01-01T12:00:00Z");
const probes = [accountProbe(undefined), ...factProbes(PLACEHOLDER_OBJECT_ID, NOW)];
const byFact = (fact: string) => probes.find((p) => p.spec.fact === fact)!;
const answer = (status: number, body: unknown = {}) => ({ kind: "answer" as const, answer: { status, body } });

describe("probes", () => {
  it("cover every fact of the design's table once, with the collector's URLs", () => {
    expect(probes.map((p) => p.spec.fact).sort()).toEqual(
      [
        "account",
        "appPermissions",
        "authMethods",
        "conditionalAccessPolicies",
        "domainPasswordPolicies",
        "membership",
        "namedLocations",
        "perUserMfa",
        "registrationCampaign",
        "registrationDetails",
        "riskyUser",
        "roleAssignmentInstances",
        "roleAssignments",
        "roleEligibility",
        "securityDefaults",
        "sessionRevocation",
        "signInActivity",
        "signInContexts",
        "signIns",
      ].sort(),
    );
    expect(byFact("account").url).toContain(`users/${PLACEHOLDER_OBJECT_ID}?$select=`);
    expect(decodeURIComponent(byFact("signIns").url)).toContain("createdDateTime ge 2026-01-01T11:00:00.000Z");
    expect(requiredPermissions()).toEqual([
      "User.Read.All",
      "GroupMember.Read.All",
      "RoleManagement.Read.Directory",
      "Policy.Read.All",
      "IdentityRiskyUser.Read.All",
      // The conditional-access check reads the sign-in contexts, before mfa-registration reads the methods.
      "AuditLog.Read.All",
      "UserAuthenticationMethod.Read.All",
      "Domain.Read.All",
      // The consent check reads the app's own grants.
      "Application.Read.All",
    ]);
  });
});

describe("classifyProbe", () => {
  it.each([
    [200, {}, "granted"],
    [404, {}, "granted"],
    [403, { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } }, "missing"],
    [401, { error: { code: "InvalidAuthenticationToken", message: "Access token validation failure." } }, "missing"],
    [429, {}, "error"],
    [503, {}, "error"],
    [400, { error: { code: "BadRequest", message: "nope" } }, "error"],
  ])("%i → %s", (status, body, outcome) => {
    expect(classifyProbe(byFact("conditionalAccessPolicies"), answer(status, body)).outcome).toBe(outcome);
  });

  it("tells the licence wall from a missing permission", () => {
    const body = {
      error: { code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license" },
    };
    expect(classifyProbe(byFact("signIns"), answer(403, body)).outcome).toBe("unlicensed");
  });

  it("PIM's 400 AadPremiumLicenseRequired is not licensed (Entra ID P2 named), not an error to try again", () => {
    const body = {
      error: { code: "AadPremiumLicenseRequired", message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license." },
    };
    const r = classifyProbe(byFact("roleEligibility"), answer(400, body));
    expect(r).toMatchObject({ outcome: "unlicensed", httpStatus: 400, detail: expect.stringContaining("Entra ID P2 or Microsoft Entra ID Governance") });
  });

  it("writes the request as sent", () => {
    expect(classifyProbe(byFact("perUserMfa"), answer(200)).request).toBe(`GET /beta/users/${PLACEHOLDER_OBJECT_ID}/authentication/requirements`);
    expect(classifyProbe(byFact("perUserMfa"), { kind: "thrown", message: "socket hang up" })).toMatchObject({
      outcome: "error",
      detail: expect.stringContaining("socket hang up"),
    });
  });
});

describe("token", () => {
  it("explains AADSTS65001 with the consent link", () => {
    const f = tokenFailure("AADSTS65001: The user or administrator has not consented. Trace ID: x Correlation ID: y", "https://login.example/adminconsent");
    expect(f).toMatchObject({ ok: false, aadsts: "65001", message: "AADSTS65001: The user or administrator has not consented." });
    expect(f.fix).toMatch(/no admin consent.*https:\/\/login\.example\/adminconsent/);
  });

  it.each([
    ["AADSTS700213: No matching federated identity record found", /federated credential/],
    ["AADSTS7000215: Invalid client secret provided.", /client secret is wrong/],
    ["AADSTS90002: Tenant 'x' not found.", /check --tenant/],
    ["AADSTS123456: Something new.", /AADSTS123456/],
    ["getaddrinfo ENOTFOUND login.microsoftonline.com", /AZURE_AUTHORITY_HOST/],
  ])("%s", (message, fix) => {
    expect(tokenFailure(message, undefined).fix).toMatch(fix);
  });

  it("reads the roles claim, or nothing from an opaque token", () => {
    const jwt = `e30.${Buffer.from(JSON.stringify({ roles: ["Policy.Read.All", "AuditLog.Read.All"] })).toString("base64url")}.sig`;
    expect(tokenRoles(jwt)).toEqual(["AuditLog.Read.All", "Policy.Read.All"]);
    expect(tokenRoles("opaque-token")).toBeUndefined();
    expect(tokenRoles(`e30.${Buffer.from("{}").toString("base64url")}.sig`)).toBeUndefined();
  });
});

describe("summarise", () => {
  const all = (outcome: ProbeResult["outcome"]) => probes.map((p) => classifyProbe(p, outcome === "granted" ? answer(200) : answer(403)));

  it("all granted: ok; the optional permission follows the token's roles and never decides", () => {
    const results = all("granted");
    const token = { ok: true as const, roles: ["User.Read.All"] };
    const permissions = summarisePermissions(results, token, undefined);
    expect(permissions.filter((p) => p.required).every((p) => p.status === "granted")).toBe(true);
    expect(permissions.find((p) => p.permission === "Policy.Read.ConditionalAccess")).toMatchObject({ required: false, status: "missing" });
    expect(verdict(token, permissions, results)).toEqual({ ok: true, summary: "Every permission the checks need is granted" });
    expect(summariseLicences(results)[0]?.status).toBe("present");
  });

  it("everything refused reads as missing consent", () => {
    const results = all("missing");
    const token = { ok: true as const };
    const v = verdict(token, summarisePermissions(results, token, undefined), results);
    expect(v.ok).toBe(false);
    expect(v.summary).toMatch(/admin consent/);
    expect(summariseLicences(results)[0]?.status).toBe("unknown");
  });

  it("without P2 only: ok, RoleManagement.Read.Directory granted, the P2 licence absent and named as bought", () => {
    const pim = {
      error: { code: "AadPremiumLicenseRequired", message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license." },
    };
    // Without P2 both PIM and Identity Protection answer the licence error.
    const licensed = (fact: string): boolean => !["roleEligibility", "roleAssignmentInstances", "riskyUser"].includes(fact);
    const results = probes.map((p) => classifyProbe(p, licensed(p.spec.fact) ? answer(200) : answer(400, pim)));
    const token = { ok: true as const };
    const permissions = summarisePermissions(results, token, undefined);
    expect(permissions.find((p) => p.permission === "RoleManagement.Read.Directory")).toMatchObject({ status: "granted" });
    expect(verdict(token, permissions, results)).toEqual({
      ok: true,
      summary:
        "Every permission the checks can use is granted (IdentityRiskyUser.Read.All not verifiable without Entra ID P2); " +
        "not licensed: Entra ID P2 or Microsoft Entra ID Governance / Entra ID P2",
    });
    expect(summariseLicences(results).map((l) => [l.licence, l.status])).toEqual([
      ["Entra ID P1", "present"],
      ["Entra ID P2", "absent"],
      ["Entra ID P2 (Identity Protection)", "absent"],
    ]);
  });

  it.each([
    ["a refused What If probe says missing, whatever the roles", { status: 403 }, ["Policy.Read.ConditionalAccess"], "missing"],
    ["an answered probe with no roles listed says granted", { status: 200 }, undefined, "granted"],
    ["the roles decide when the probe was answered", { status: 200 }, ["User.Read.All"], "missing"],
    ["a probe without an answer and no roles: unknown", { error: "socket hang up" }, undefined, "unknown"],
  ] as const)("What If (Policy.Read.ConditionalAccess): %s", (_n, whatIf, roles, status) => {
    const results = all("granted");
    const token = roles ? { ok: true as const, roles: [...roles] } : { ok: true as const };
    const p = summarisePermissions(results, token, undefined, whatIf).find((x) => x.permission === "Policy.Read.ConditionalAccess");
    expect(p).toMatchObject({ required: false, status });
    // Optional: never decides the verdict.
    expect(verdict(token, summarisePermissions(results, token, undefined, whatIf), results).ok).toBe(true);
  });

  it("no token: nothing is called granted", () => {
    const token = tokenFailure("AADSTS65001: not consented", undefined);
    const permissions = summarisePermissions([], token, undefined);
    expect(permissions.every((p) => p.status === "unknown")).toBe(true);
    expect(verdict(token, permissions, []).ok).toBe(false);
    expect(summariseLicences([], false).every((l) => l.status === "unknown" && l.detail === "Not tried: no token")).toBe(true);
  });
});
