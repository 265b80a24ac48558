import { describe, expect, it } from "vitest";
import { createChannels } from "../../../lib/alerts/channels/index.js";
import { loadAlertSettings } from "../../../lib/config/alert-settings.js";
import { SettingsError } from "../../../lib/config/settings.js";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("loadAlertSettings", () => {
  it("defaults to .eml files in .outbox with 8 attempts", () => {
    const s = loadAlertSettings({});
    expect(s.email).toEqual({ kind: "eml" });
    expect(s.outboxDir).toBe(".outbox");
    expect(s.maxAttempts).toBe(8);
    expect(s.to).toEqual([]);
    expect(s.webhook).toBeUndefined();
  });

  it("takes ACS by connection string or by endpoint and managed identity", () => {
    const cs = `endpoint=https://contoso.europe.communication.azure.com/;accesskey=${KEY}`;
    const a = loadAlertSettings({ ACS_CONNECTION_STRING: cs, ALERT_FROM: "DoNotReply@contoso.com" });
    expect(a.email).toMatchObject({ kind: "acs-connection-string", endpoint: "https://contoso.europe.communication.azure.com/" });
    const b = loadAlertSettings({ ACS_ENDPOINT: "https://contoso.europe.communication.azure.com", MANAGED_IDENTITY_CLIENT_ID: "cid", ALERT_FROM: "a@b.co" });
    expect(b.email).toEqual({ kind: "acs-identity", endpoint: "https://contoso.europe.communication.azure.com/", clientId: "cid" });
  });

  it("splits, validates and de-duplicates ALERT_TO case-insensitively", () => {
    expect(loadAlertSettings({ ALERT_TO: "Ops@Contoso.com, ops@contoso.com; sec@contoso.com ," }).to).toEqual(["Ops@Contoso.com", "sec@contoso.com"]);
  });

  it("chooses the webhook format by URL or setting", () => {
    expect(loadAlertSettings({ ALERT_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }).webhook?.format).toBe("slack");
    expect(loadAlertSettings({ ALERT_WEBHOOK_URL: "https://prod.westeurope.logic.azure.com/workflows/x" }).webhook?.format).toBe("teams");
    expect(loadAlertSettings({ ALERT_WEBHOOK_URL: "http://127.0.0.1:9/x", ALERT_WEBHOOK_FORMAT: "slack" }).webhook?.format).toBe("slack");
  });

  it("takes the lifecycle format only when asked, as a per-row events channel (also while its Key Vault reference is unresolved)", () => {
    const settings = loadAlertSettings({ ALERT_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x", ALERT_WEBHOOK_FORMAT: "LIFECYCLE" });
    expect(settings.webhook?.format).toBe("lifecycle");
    expect(createChannels(settings).map((c) => [c.name, c.kind])).toEqual([
      ["eml", undefined],
      ["webhook", "events"],
    ]);
    const unresolved = loadAlertSettings({ ALERT_WEBHOOK_URL: "@Microsoft.KeyVault(VaultName=v;SecretName=s)", ALERT_WEBHOOK_FORMAT: "lifecycle" });
    expect(createChannels(unresolved).map((c) => c.kind)).toEqual([undefined, "events"]);
  });

  it.each([
    [{ ACS_CONNECTION_STRING: `endpoint=https://x.communication.azure.com/;accesskey=${KEY}` }, /ALERT_FROM is required/],
    [{ ACS_CONNECTION_STRING: "accesskey=abc;endpoint=https://x/" }, /ACS_CONNECTION_STRING must look like/],
    [{ ACS_CONNECTION_STRING: "endpoint=http://example.com/;accesskey=" + KEY, ALERT_FROM: "a@b.co" }, /must use https/],
    [{ ACS_CONNECTION_STRING: "x", ACS_ENDPOINT: "https://x" }, /either ACS_CONNECTION_STRING .* or ACS_ENDPOINT/],
    // The SDK's own rule: an endpoint is a scheme and a host, nothing after the slash.
    [{ ACS_CONNECTION_STRING: `endpoint=https://x.communication.azure.com/emails;accesskey=${KEY}`, ALERT_FROM: "a@b.co" }, /endpoint .*has a path/],
    [{ ACS_CONNECTION_STRING: `endpoint=https://x.communication.azure.com/a/b/;accesskey=${KEY}`, ALERT_FROM: "a@b.co" }, /endpoint .*has a path/],
    [{ ACS_ENDPOINT: "https://x.communication.azure.com/emails:send", ALERT_FROM: "a@b.co" }, /ACS_ENDPOINT .*has a path/],
    [{ ALERT_TO: "ops@contoso.com, not-an-address" }, /ALERT_TO: "not-an-address" is not an email address/],
    [{ ALERT_FROM: "nobody" }, /ALERT_FROM must be an email address/],
    [{ ALERT_WEBHOOK_URL: "http://hooks.example.com/x" }, /ALERT_WEBHOOK_URL must use https/],
    [{ ALERT_WEBHOOK_URL: "https://x.example.com", ALERT_WEBHOOK_FORMAT: "discord" }, /ALERT_WEBHOOK_FORMAT must be one of teams, slack/],
    [{ ALERT_MAX_ATTEMPTS: "0" }, /ALERT_MAX_ATTEMPTS must be a whole number/],
    [{ DASHBOARD_URL: "javascript:alert(1)" }, /DASHBOARD_URL must use https/],
  ])("rejects %j", (env, message) => {
    expect(() => loadAlertSettings(env)).toThrow(SettingsError);
    expect(() => loadAlertSettings(env)).toThrow(message);
  });

  it("never quotes the access key or the webhook URL", () => {
    const secret = "c2VjcmV0c2VjcmV0c2VjcmV0";
    let message = "";
    try {
      loadAlertSettings({ ACS_CONNECTION_STRING: `endpoint=ftp://x/;accesskey=${secret}`, ALERT_WEBHOOK_URL: "http://hooks.example.com/T0/B0/tokentoken" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ACS_CONNECTION_STRING/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain("tokentoken");
  });
});
