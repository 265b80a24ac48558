import { describe, expect, it } from "vitest";
import { loadSettings, loadStoreSettings, SettingsError } from "../../lib/config/settings.js";

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

describe("loadStoreSettings", () => {
  it("defaults to the storage emulator and the design's periods, with no Graph credential needed", () => {
    const s = loadStoreSettings({});
    expect(s.storage).toEqual({ kind: "connection-string", connectionString: "UseDevelopmentStorage=true" });
    expect(s.reminderHours).toBe(24);
    expect(s.unknownAlertAfter).toBe(3);
    expect(s.snapshotRetentionDays).toBe(90);
  });

  it("takes an account connection string", () => {
    const cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";
    expect(loadStoreSettings({ AzureWebJobsStorage: cs }).storage).toEqual({ kind: "connection-string", connectionString: cs });
  });

  it("builds identity-based endpoints from the account name", () => {
    expect(loadStoreSettings({ AzureWebJobsStorage__accountName: "driftmon01", AzureWebJobsStorage__clientId: "c" }).storage).toEqual({
      kind: "identity",
      tableServiceUri: "https://driftmon01.table.core.windows.net",
      queueServiceUri: "https://driftmon01.queue.core.windows.net",
      clientId: "c",
    });
    expect(loadStoreSettings({ AzureWebJobsStorage__tableServiceUri: "https://x.table.core.windows.net/" }).storage).toMatchObject({
      kind: "identity",
      tableServiceUri: "https://x.table.core.windows.net",
    });
  });

  it.each([
    [{ AzureWebJobsStorage: "nonsense" }, /AzureWebJobsStorage must be a storage connection string/],
    [{ AzureWebJobsStorage__accountName: "Bad_Name" }, /AzureWebJobsStorage__accountName must be a storage account name/],
    [{ AzureWebJobsStorage__tableServiceUri: "http://example.com" }, /must use https/],
    [{ REMINDER_HOURS: "0" }, /REMINDER_HOURS must be a whole number/],
    [{ UNKNOWN_ALERT_AFTER: "x" }, /UNKNOWN_ALERT_AFTER must be a whole number/],
    [{ SNAPSHOT_RETENTION_DAYS: "1.5" }, /SNAPSHOT_RETENTION_DAYS must be a whole number/],
  ])("rejects %j", (env, message) => {
    expect(() => loadStoreSettings(env)).toThrow(SettingsError);
    expect(() => loadStoreSettings(env)).toThrow(message);
  });
});
