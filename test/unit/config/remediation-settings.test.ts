/** The remediation app's settings: off unless configured, refused when half-configured, never the monitoring app's credential. */
import { describe, expect, it } from "vitest";
import { loadRemediationSettings, REMEDIATION_SETTING_NAMES } from "../../../lib/config/remediation.js";
import { SettingsError } from "../../../lib/config/settings.js";
import { redact } from "../../../lib/errors/redact.js";

const ID = "0c0ffee0-0000-4000-8000-00000000f1a1";

describe("loadRemediationSettings", () => {
  it("is off (undefined) when REMEDIATION_CLIENT_ID is not set, whatever the monitoring app's settings", () => {
    expect(loadRemediationSettings({ AZURE_CLIENT_ID: ID, AZURE_CLIENT_SECRET: "monitoring-secret" })).toBeUndefined();
  });

  it("a client id and secret: secret mode with the remediation app's own id, the defaults, the secret registered for redaction", () => {
    const s = loadRemediationSettings({ REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_SECRET: "remediation-s3cret", AZURE_CLIENT_ID: "other" });
    expect(s).toMatchObject({
      graphEndpoint: "https://graph.microsoft.com",
      graphAuth: { mode: "secret", clientId: ID, clientSecret: "remediation-s3cret", authorityHost: "https://login.microsoftonline.com" },
      timeoutMs: 30_000,
      verifyMs: 60_000,
      requireApproval: true,
      approvalTtlMs: 24 * 3_600_000,
    });
    expect(redact("echo remediation-s3cret")).toBe("echo [redacted]");
  });

  it("four-eyes can be switched off and the approval window set", () => {
    const s = loadRemediationSettings({
      REMEDIATION_CLIENT_ID: ID,
      REMEDIATION_CLIENT_SECRET: "x-secret",
      REMEDIATION_REQUIRE_APPROVAL: "False",
      REMEDIATION_APPROVAL_HOURS: "2",
    });
    expect(s).toMatchObject({ requireApproval: false, approvalTtlMs: 2 * 3_600_000 });
  });

  it("a certificate instead of a secret", () => {
    const s = loadRemediationSettings({ REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_CERTIFICATE_PATH: "/certs/fix.pem" });
    expect(s?.graphAuth).toMatchObject({ mode: "certificate", certificatePath: "/certs/fix.pem" });
  });

  it.each([
    [{ REMEDIATION_CLIENT_ID: ID }, /needs REMEDIATION_CLIENT_SECRET or REMEDIATION_CLIENT_CERTIFICATE_PATH/],
    [{ REMEDIATION_CLIENT_SECRET: "x-secret" }, /without REMEDIATION_CLIENT_ID/],
    [{ REMEDIATION_CLIENT_ID: "not-a-guid", REMEDIATION_CLIENT_SECRET: "x-secret" }, /a GUID/],
    [
      { REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_SECRET: "x-secret", REMEDIATION_TIMEOUT_SECONDS: "0" },
      /REMEDIATION_TIMEOUT_SECONDS must be a whole number from 1 to 120/,
    ],
    [{ REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_SECRET: "x-secret", REMEDIATION_VERIFY_SECONDS: "9999" }, /REMEDIATION_VERIFY_SECONDS/],
    [{ REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_SECRET: "x-secret", GRAPH_ENDPOINT: "http://graph.local" }, /must use https/],
    [{ REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_SECRET: "x-secret", REMEDIATION_REQUIRE_APPROVAL: "yes" }, /must be true or false/],
    [
      { REMEDIATION_CLIENT_ID: ID, REMEDIATION_CLIENT_SECRET: "x-secret", REMEDIATION_APPROVAL_HOURS: "0" },
      /REMEDIATION_APPROVAL_HOURS must be a whole number from 1 to 168/,
    ],
  ])("refuses %j", (env, message) => {
    expect(() => loadRemediationSettings(env)).toThrow(SettingsError);
    expect(() => loadRemediationSettings(env)).toThrow(message);
  });

  it("names its settings", () => {
    expect(REMEDIATION_SETTING_NAMES).toContain("REMEDIATION_CLIENT_ID");
    expect(REMEDIATION_SETTING_NAMES).not.toContain("GRAPH_ENDPOINT");
  });
});
