import { describe, expect, it } from "vitest";
import { encodePathSegment, graphPath, keySegment, odataString, relativeToVersion } from "../../../lib/graph/odata.js";
import { accountUrl, factRequests, factUrl, FACTS } from "../../../lib/graph/facts/index.js";
import type { FactKey } from "../../../lib/model/facts.js";

describe("odataString", () => {
  it.each([
    ["plain", "'plain'"],
    ["o'neil@contoso.com", "'o''neil@contoso.com'"],
    ["''", "''''''"],
    ["", "''"],
  ])("%s → %s", (input, expected) => {
    expect(odataString(input)).toBe(expected);
  });
});

describe("encodePathSegment", () => {
  it.each([
    ["o'neil@contoso.com", "o%27neil%40contoso.com"],
    ["a/b", "a%2Fb"],
    ["x(y)!*", "x%28y%29%21%2A"],
    ["#?& %", "%23%3F%26%20%25"],
    ["6f1c0f5a-0000-4000-8000-000000000001", "6f1c0f5a-0000-4000-8000-000000000001"],
  ])("%s → %s", (input, expected) => {
    expect(encodePathSegment(input)).toBe(expected);
  });
});

describe("graphPath", () => {
  it("encodes segments and query values, keeps raw segments and $ keys", () => {
    expect(graphPath(["users", "o'neil@contoso.com", { raw: "authentication/methods" }], { $filter: "x eq 'a''b'", $top: 5, skip: undefined })).toBe(
      "/users/o%27neil%40contoso.com/authentication/methods?$filter=x%20eq%20%27a%27%27b%27&$top=5",
    );
  });
});

describe("keySegment", () => {
  it.each([
    ["o'neil@contoso.com", "users('o%27%27neil%40contoso.com')"],
    ["$svc@contoso.com", "users('%24svc%40contoso.com')"],
    ["6f1c0f5a-0000-4000-8000-000000000001", "users/6f1c0f5a-0000-4000-8000-000000000001"],
    ["a/b?c#d", "users('a%2Fb%3Fc%23d')"],
  ])("%s → %s", (input, expected) => {
    expect(keySegment("users", input).raw).toBe(expected);
  });
});

describe("request URLs", () => {
  const SELECT =
    "id%2CuserPrincipalName%2CdisplayName%2CaccountEnabled%2ConPremisesSyncEnabled%2CuserType" +
    "%2CpasswordPolicies%2ClastPasswordChangeDateTime%2CsignInSessionsValidFromDateTime%2CpasswordProfile";
  const CODES =
    "(status/errorCode eq 50072 or status/errorCode eq 50074 or status/errorCode eq 50076 or status/errorCode eq 50079 or status/errorCode eq " +
    "53003 or status/errorCode eq 53000 or status/errorCode eq 53001 or status/errorCode eq 53002 or status/errorCode eq 530032 or status/errorCode eq " +
    "530035 or status/errorCode eq 53004 or status/errorCode eq 50135 or status/errorCode eq 50055 or status/errorCode eq 50125 or status/errorCode eq " +
    "50126 or status/errorCode eq 50053 or status/errorCode eq 50057 or status/errorCode eq 50173 or status/errorCode eq 50133)";
  for (const upn of ["o'neil@contoso.com", "$svc@contoso.com"]) {
    const ctx = { objectId: upn, signInsSince: "2026-01-01T00:00:00.000Z" };
    it(`never carries a raw quote, $, space or @ from the account (${upn}), in any request`, () => {
      for (const key of Object.keys(FACTS) as FactKey[]) {
        for (const { url } of factRequests(key, ctx)) {
          // The key form's own delimiters `('` (or `(appId='`) and `')` are the only raw quotes.
          expect(url.replace(/\((?:appId=)?'|'\)/g, ""), key).not.toMatch(/[' @]|\/\$/);
          if (FACTS[key].needsObjectId || key === "account") {
            // In a path: key syntax with the quote doubled; in a filter literal: the quote doubled too.
            const doubled = upn.replace(/'/g, "''");
            const inFilter = key === "signIns" || key === "signInContexts" || key === "sessionRevocation" || key.startsWith("role");
            expect(decodeURIComponent(url), key).toContain(inFilter ? `eq '${doubled}'` : `('${doubled}')`);
          }
        }
      }
    });
  }
  it("addresses users in key syntax, so a UPN starting with $ is never a path segment of its own", () => {
    expect(accountUrl("$svc@contoso.com")).toBe(`/users('%24svc%40contoso.com')?$select=${SELECT}`);
    expect(factUrl("perUserMfa", { objectId: "o'neil@contoso.com", signInsSince: "" })).toBe("/users('o%27%27neil%40contoso.com')/authentication/requirements");
    expect(factUrl("registrationDetails", { objectId: "id1", signInsSince: "" })).toBe("/reports/authenticationMethods/userRegistrationDetails('id1')");
  });
  it("quotes the id in filters with the quote doubled; sign-ins: both event types, failure codes only", () => {
    const ctx = { objectId: "o'neil@contoso.com", signInsSince: "2026-01-01T00:00:00.000Z" };
    expect(decodeURIComponent(factUrl("roleAssignments", ctx))).toBe("/roleManagement/directory/roleAssignments?$filter=principalId eq 'o''neil@contoso.com'");
    // One request naming both event types: one slot of the report budget per check.
    const both = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')";
    expect(factRequests("signIns", ctx).map((r) => [r.id, decodeURIComponent(r.url)])).toEqual([
      ["signIns", `/auditLogs/signIns?$filter=userId eq 'o''neil@contoso.com' and createdDateTime ge 2026-01-01T00:00:00.000Z and ${both} and ${CODES}`],
    ]);
    expect(factUrl("signIns", ctx)).toBe(factRequests("signIns", ctx)[0]?.url);
  });
  it("selects the account fields and pages transitiveMemberOf by 999", () => {
    expect(accountUrl("u")).toBe(`/users('u')?$select=${SELECT}`);
    expect(decodeURIComponent(factUrl("membership", { objectId: "id1", signInsSince: "" }))).toBe(
      "/users('id1')/transitiveMemberOf?$select=id,displayName,roleTemplateId&$top=999",
    );
  });
});

describe("relativeToVersion", () => {
  it("strips endpoint and version, keeping the query verbatim", () => {
    expect(
      relativeToVersion("https://graph.microsoft.com/v1.0/users/x/transitiveMemberOf?$top=999&$skiptoken=ab%27c", "v1.0", "https://graph.microsoft.com"),
    ).toBe("/users/x/transitiveMemberOf?$top=999&$skiptoken=ab%27c");
    expect(relativeToVersion("https://127.0.0.1:8443/beta/auditLogs/signIns?$skiptoken=1", "beta", "https://127.0.0.1:8443")).toBe(
      "/auditLogs/signIns?$skiptoken=1",
    );
  });
  it("refuses another host or version", () => {
    expect(relativeToVersion("https://evil.example/v1.0/users", "v1.0", "https://graph.microsoft.com")).toBeUndefined();
    expect(relativeToVersion("https://graph.microsoft.com/beta/users", "v1.0", "https://graph.microsoft.com")).toBeUndefined();
    expect(relativeToVersion("https://graph.microsoft.com/users?x=/v1.0/", "v1.0")).toBeUndefined();
  });
  it("accepts a relative link", () => {
    expect(relativeToVersion("/v1.0/users?$skiptoken=2", "v1.0")).toBe("/users?$skiptoken=2");
  });
});
