import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_NAME, getProfile, PROFILES } from "../../../lib/checks/index.js";
import { CHECK_IDS } from "../../../lib/checks/registry.js";

describe("profiles", () => {
  it("has strict as the default, with the design's sign-in apps and client types", () => {
    const strict = getProfile(DEFAULT_PROFILE_NAME);
    expect(strict).toMatchObject({ name: "strict", securityDefaults: "disabled", mfaRegistration: "none", disabledChecks: [] });
    expect(strict?.signInApps).toHaveLength(6);
    expect(strict?.clientAppTypes).toEqual(["mobileAppsAndDesktopClients", "browser"]);
  });

  it("turns off only checks this version has (the model types them as plain ids)", () => {
    for (const profile of Object.values(PROFILES)) expect(CHECK_IDS).toEqual(expect.arrayContaining([...profile.disabledChecks]));
  });

  it("security-defaults-enrolled accepts either Security Defaults state and requires an MFA method", () => {
    expect(getProfile("security-defaults-enrolled")).toMatchObject({ securityDefaults: "any", mfaRegistration: "required" });
  });

  it.each([
    ["strict", { adminRole: "active", passwordExpiry: "before-expiry", authMethods: "not-judged", signInNotices: "none" }],
    ["security-defaults-enrolled", { adminRole: "active", passwordExpiry: "before-expiry", authMethods: "not-judged", signInNotices: "none" }],
    ["emergency-access", { adminRole: "permanent-active", passwordExpiry: "never", authMethods: "phishing-resistant", signInNotices: "every" }],
  ])("%s: the expectations the emergency-access profile changes", (name, expected) => {
    expect(getProfile(name)).toMatchObject(expected);
  });

  it("the connection profiles judge Conditional Access as before; emergency-access to Microsoft's guidance", () => {
    const before = { judgeObservedSignIns: true, conditional: "warn", sessionOnly: "warn", reportOnly: "warn", satisfies: "none" };
    expect(getProfile("strict")?.conditionalAccess).toEqual(before);
    expect(getProfile("security-defaults-enrolled")?.conditionalAccess).toEqual(before);
    expect(getProfile("emergency-access")?.conditionalAccess).toEqual({
      judgeObservedSignIns: false,
      conditional: "fail",
      sessionOnly: "fail",
      reportOnly: "pass",
      satisfies: "phishing-resistant-strength",
    });
  });

  it.each(["nope", "constructor", "__proto__", "toString"])("returns undefined for %s", (name) => {
    expect(getProfile(name)).toBeUndefined();
  });

  it("keys profiles by their own name", () => {
    for (const [key, p] of Object.entries(PROFILES)) expect(p.name).toBe(key);
  });
});
