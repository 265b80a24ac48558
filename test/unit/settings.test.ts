import { describe, expect, it } from "vitest";
import { loadSettings, SettingsError } from "../../lib/config/settings.js";

describe("loadSettings", () => {
  it("takes a ready token and defaults the rest", () => {
    const s = loadSettings({ GRAPH_ACCESS_TOKEN: "t" });
    expect(s.graphAuth.mode).toBe("token");
    expect(s.graphEndpoint).toBe("https://graph.microsoft.com");
    expect(s.signInLookbackHours).toBe(24);
    expect(s.defaultProfile).toBe("strict");
  });

  it.each([
    [{}, /No Graph credential/],
    [{ GRAPH_ACCESS_TOKEN: "t", GRAPH_ENDPOINT: "http://127.0.0.1:1" }, /GRAPH_ENDPOINT must use https/],
    [{ GRAPH_ACCESS_TOKEN: "t", GRAPH_ENDPOINT: "nope" }, /GRAPH_ENDPOINT must be an https URL/],
    [{ GRAPH_ACCESS_TOKEN: "t", SIGNIN_LOOKBACK_HOURS: "-1" }, /SIGNIN_LOOKBACK_HOURS must be a whole number/],
    [{ AZURE_CLIENT_SECRET: "s" }, /needs AZURE_CLIENT_ID/],
    [{ GRAPH_AUTH_MODE: "federated", AZURE_CLIENT_ID: "c" }, /needs MANAGED_IDENTITY_CLIENT_ID/],
    [{ GRAPH_AUTH_MODE: "magic" }, /GRAPH_AUTH_MODE must be one of/],
  ])("rejects %j", (env, message) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(message);
  });

  it("infers the credential from what is set", () => {
    expect(loadSettings({ AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" }).graphAuth.mode).toBe("secret");
    expect(loadSettings({ AZURE_CLIENT_ID: "c", AZURE_CLIENT_CERTIFICATE_PATH: "/x.pem" }).graphAuth.mode).toBe("certificate");
    expect(loadSettings({ AZURE_CLIENT_ID: "c", MANAGED_IDENTITY_CLIENT_ID: "m" }).graphAuth.mode).toBe("federated");
  });
});
