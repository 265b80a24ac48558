import { describe, expect, it } from "vitest";
import { accountKeyOf } from "../../../lib/standings/account-of.js";

const T = "0a0b0c0d-0000-4000-8000-000000000001";
const tenant = {
  accounts: [
    { key: "", ref: "svc@contoso.com", kind: "connection" as const, profile: "strict", objectId: "0a0b0c0d-0000-4000-8000-0000000000aa" },
    { key: "0123456789ab", ref: "BG1@contoso.com", kind: "emergency-access" as const, profile: "emergency-access", objectId: null },
  ],
};

describe("accountKeyOf", () => {
  it.each([
    [undefined, ""],
    ["", ""],
    ["svc@contoso.com", ""],
    ["bg1@CONTOSO.com", "0123456789ab"],
    ["0123456789ab", "0123456789ab"],
    ["0a0b0c0d-0000-4000-8000-0000000000aa", ""],
  ])("%j names the account with key %j", (named, key) => {
    expect(accountKeyOf(T, tenant, named)).toEqual({ ok: true, key });
  });

  it("names the accounts there are when none fits, and says when the tenant is not registered", () => {
    expect(accountKeyOf(T, tenant, "other@contoso.com")).toEqual({
      ok: false,
      error: `tenant ${T} has no monitored account "other@contoso.com": its accounts are svc@contoso.com, BG1@contoso.com`,
    });
    expect(accountKeyOf(T, undefined, "x@y.com")).toMatchObject({ ok: false, error: expect.stringContaining("(it is not registered)") });
  });
});
