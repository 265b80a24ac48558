import { describe, expect, it } from "vitest";
import { registeredTenantSchema } from "../../../lib/model/tenant.js";

describe("registeredTenantSchema", () => {
  it("lower-cases the tenant id and fills defaults", () => {
    const t = registeredTenantSchema.parse({ tenantId: " AAAAAAAA-1111-2222-3333-444444444444 ", displayName: "Contoso", account: "o'neil@contoso.com" });
    expect(t).toEqual({
      tenantId: "aaaaaaaa-1111-2222-3333-444444444444",
      displayName: "Contoso",
      recipients: [],
      enabled: true,
      accounts: [{ key: "", ref: "o'neil@contoso.com", kind: "connection", profile: "strict", objectId: null }],
    });
  });

  it.each([
    [{ tenantId: "contoso.com" }, /tenantId must be a GUID/],
    [{ account: "svc" }, /account must be the monitored account's UPN/],
    [{ recipients: ["ops@contoso.com", "not-an-email"] }, /"not-an-email" is not an email address/],
    [{ displayName: " " }, /displayName must not be empty/],
    [{ accountObjectId: "x" }, /objectId must be a GUID/],
  ])("rejects %j with a message that says what to fix", (override, message) => {
    const result = registeredTenantSchema.safeParse({
      tenantId: "aaaaaaaa-1111-2222-3333-444444444444",
      displayName: "Contoso",
      account: "svc@contoso.com",
      ...override,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});
