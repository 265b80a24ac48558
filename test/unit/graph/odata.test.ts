import { describe, expect, it } from "vitest";
import { encodePathSegment, graphPath, odataString, relativeToVersion } from "../../../lib/graph/odata.js";
import { accountUrl, factUrl, type FactKey, FACT_SPECS } from "../../../lib/graph/requests.js";

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

describe("request URLs", () => {
  const ctx = { objectId: "o'neil@contoso.com", signInsSince: "2026-01-01T00:00:00.000Z" };
  it("never carries a raw quote, space or @ from the account, in any request", () => {
    for (const key of Object.keys(FACT_SPECS) as FactKey[]) {
      const url = factUrl(key, ctx);
      expect(url, key).not.toMatch(/[' @]/);
      if (FACT_SPECS[key].needsObjectId || key === "account") {
        // In a path segment the UPN appears as is; in a filter literal with the quote doubled.
        expect(decodeURIComponent(url), key).toMatch(/\/o'neil@contoso\.com|'o''neil@contoso\.com'/);
      }
    }
  });
  it("quotes the id in filters with the quote doubled", () => {
    expect(decodeURIComponent(factUrl("roleAssignments", ctx))).toBe("/roleManagement/directory/roleAssignments?$filter=principalId eq 'o''neil@contoso.com'");
    expect(decodeURIComponent(factUrl("signIns", ctx))).toBe("/auditLogs/signIns?$filter=userId eq 'o''neil@contoso.com' and createdDateTime ge 2026-01-01T00:00:00.000Z");
  });
  it("selects the account fields and pages transitiveMemberOf by 999", () => {
    expect(accountUrl("u")).toBe("/users/u?$select=id%2CuserPrincipalName%2CdisplayName%2CaccountEnabled%2ConPremisesSyncEnabled%2CuserType");
    expect(decodeURIComponent(factUrl("membership", { ...ctx, objectId: "id1" }))).toBe("/users/id1/transitiveMemberOf?$select=id,displayName,roleTemplateId&$top=999");
  });
});

describe("relativeToVersion", () => {
  it("strips endpoint and version, keeping the query verbatim", () => {
    expect(relativeToVersion("https://graph.microsoft.com/v1.0/users/x/transitiveMemberOf?$top=999&$skiptoken=ab%27c", "v1.0", "https://graph.microsoft.com")).toBe(
      "/users/x/transitiveMemberOf?$top=999&$skiptoken=ab%27c",
    );
    expect(relativeToVersion("https://127.0.0.1:8443/beta/auditLogs/signIns?$skiptoken=1", "beta", "https://127.0.0.1:8443")).toBe("/auditLogs/signIns?$skiptoken=1");
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
