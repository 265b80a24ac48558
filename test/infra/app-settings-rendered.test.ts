/**
 * The app settings as Azure gets them: main.bicep compiled by the real Bicep CLI, the object the
 * app-settings module writes rendered for a set of parameters and module outputs, then held
 * against every setting the app reads (lib/config/names.ts) and loaded by the app's own loaders.
 * A setting the app reads that the template neither sets nor lists as never set (local-only,
 * each named in docs/deploy.md) fails here, so `azd provision` cannot silently drop one.
 *
 * Without dotnet (or off Linux x64) it is skipped, saying why; with CI=true it fails instead.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { SettingsError } from "../../lib/config/settings.js";
import { loadTicketSettings, PSA_SETTING_NAMES } from "../../lib/tickets/psa/settings.js";
import { ALL_SETTING_NAMES, SETTING_LOADERS, SETTING_SCOPES, settingsIn } from "../../lib/config/names.js";
import { render, type ArmContext } from "./arm-expr.js";
import { ROOT } from "./bicep-text.js";
import { BICEP_SKIP, compiledMain, moduleOf, resourcesOf } from "./compiled.js";

/** Settings the Functions host reads itself; the code never does. */
const HOST_SETTINGS = new Set([
  "AzureWebJobsStorage__credential",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
  "OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID", // App Service authentication's client credential (dashboard-auth.bicep)
]);

/** The `appSettings` object the app-settings module is given, as compiled (values are ARM expressions). */
function compiledSettings(): Record<string, unknown> {
  const module = moduleOf("app-settings");
  const inner = resourcesOf(module.properties!.template!);
  // The module writes exactly its parameter, as the one appsettings resource.
  expect(inner.filter((r) => r.type === "Microsoft.Web/sites/config")).toEqual([
    expect.objectContaining({ name: expect.stringContaining("'appsettings'"), properties: "[parameters('appSettings')]" }),
  ]);
  const value = module.properties!.parameters!.appSettings!.value;
  expect(typeof value, "appSettings is an object literal whose keys the compiler kept").toBe("object");
  return value as Record<string, unknown>;
}

const GRAPH_APP = "11111111-1111-1111-1111-111111111111";
const TENANT = "22222222-2222-2222-2222-222222222222";
const HOST = "func-abc-d3f4.westeurope-01.azurewebsites.net";
const VAULT = "kv-stub";

interface Scenario {
  readonly params?: Record<string, unknown>;
  readonly domainKind?: "AzureManaged" | "CustomerManaged";
  readonly from?: string;
}

/** The settings Azure would get for these parameters, the modules' outputs stubbed as a deployment gives them. */
function rendered({ params = {}, domainKind = "AzureManaged", from = "DoNotReply@0f0e0d0c.azurecomm.net" }: Scenario): Record<string, string> {
  const outputs: Record<string, Record<string, unknown>> = {
    identity: { clientId: "33333333-3333-3333-3333-333333333333", principalId: "44444444-4444-4444-4444-444444444444" },
    storage: { name: "stabc" },
    monitoring: { connectionString: "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x.in.applicationinsights.azure.com/" },
    communication: { endpoint: "https://acs-abc.europe.communication.azure.com", senderAddress: from, senderDomainManagement: domainKind },
    keyvault: { name: VAULT },
    "function-app": { name: "func-abc", defaultHostName: HOST },
  };
  const defaults = Object.fromEntries(Object.entries(compiledMain().parameters).map(([k, p]) => [k, p.defaultValue]));
  const ctx: ArmContext = {
    parameters: { ...defaults, environmentName: "prod", location: "westeurope", graphAppClientId: GRAPH_APP, ...params },
    variables: compiledMain().variables,
    tenantId: TENANT,
    outputsOf: (name) => {
      const o = outputs[name];
      if (!o) throw new Error(`no stubbed outputs for module ${name}`);
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { value: v }]));
    },
  };
  const settings = render(compiledSettings(), ctx) as Record<string, unknown>;
  for (const [k, v] of Object.entries(settings)) expect(typeof v, `${k} renders to a string`).toBe("string");
  return settings as Record<string, string>;
}

/** Every loader, on what the app's process would see (unset when empty, as the loaders read ""). */
function loadAll(settings: Record<string, string>): unknown[] {
  return SETTING_LOADERS.map((l) => l.load(settings));
}

describe.skipIf(BICEP_SKIP !== undefined)("the compiled template's app settings", () => {
  it("set every setting the app reads, but those docs/deploy.md lists as never set", () => {
    const keys = new Set(Object.keys(compiledSettings()));
    const missing = ALL_SETTING_NAMES.filter((n) => !keys.has(n) && SETTING_SCOPES[n] === "template");
    expect(missing, "read by the app, neither set by the template nor listed as never set").toEqual([]);
    const deploy = readFileSync(join(ROOT, "docs/deploy.md"), "utf8");
    const never = /### Settings the template never sets\n([\s\S]*?)\n#/.exec(deploy)?.[1] ?? "";
    for (const n of [...settingsIn("local-only"), ...settingsIn("platform")]) {
      expect(keys.has(n), `${n} is ${SETTING_SCOPES[n]}: the template must never set it`).toBe(false);
      expect(never, `${n}: docs/deploy.md says why the template never sets it`).toContain(`\`${n}\``);
    }
    const unknown = [...keys].filter((k) => !HOST_SETTINGS.has(k) && !(ALL_SETTING_NAMES as readonly string[]).includes(k));
    expect(unknown, "set by the template, read by nobody").toEqual([]);
  });

  it("depend on nothing that changes between two deployments of the same parameters", () => {
    const text = JSON.stringify(compiledSettings());
    expect(text).not.toMatch(/utcNow|newGuid|deployment\(\)/i);
    expect(rendered({})).toEqual(rendered({}));
  });

  it("load cleanly with the defaults: no webhook, no dashboard link, the Azure-managed domain's quota", () => {
    const s = rendered({});
    expect(() => loadAll(s)).not.toThrow();
    expect(s).toMatchObject({ ALERT_WEBHOOK_URL: "", ALERT_WEBHOOK_FORMAT: "", DASHBOARD_URL: "", DASHBOARD_TENANT_ID: "", AZURE_CLIENT_ID: GRAPH_APP });
    const settings = loadAlertSettings(s);
    expect(settings.webhook).toBeUndefined();
    expect(settings.dashboardUrl).toBeUndefined();
  });

  it("reference the webhook secret in the vault and never carry a URL", () => {
    const s = rendered({ params: { alertWebhookSecretName: "alert-webhook-url", alertWebhookFormat: "slack" } });
    expect(s.ALERT_WEBHOOK_URL).toBe(`@Microsoft.KeyVault(VaultName=${VAULT};SecretName=alert-webhook-url)`);
    expect(s.ALERT_WEBHOOK_FORMAT).toBe("slack");
    // App Service puts the secret in place of the reference; unresolved, the webhook says so and email goes on.
    expect(loadAlertSettings(s).webhook?.unresolved).toMatch(/Key Vault reference the app could not resolve/);
    const resolved = { ...s, ALERT_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/secret" };
    expect(loadAlertSettings(resolved).webhook).toEqual({ url: resolved.ALERT_WEBHOOK_URL, format: "slack" });
  });

  it("link the dashboard by the app's host name when the dashboard is deployed, or by the address given", () => {
    const on = rendered({ params: { dashboardClientId: "55555555-5555-5555-5555-555555555555" } });
    expect(on).toMatchObject({ DASHBOARD_URL: `https://${HOST}/api/dashboard/`, DASHBOARD_TENANT_ID: TENANT });
    expect(() => loadAll(on)).not.toThrow();
    expect(loadAlertSettings(on).dashboardUrl).toBe(`https://${HOST}/api/dashboard/`);
    const given = rendered({ params: { dashboardClientId: "55555555-5555-5555-5555-555555555555", dashboardUrl: "https://drift.msp.example/api/dashboard/" } });
    expect(given.DASHBOARD_URL).toBe("https://drift.msp.example/api/dashboard/");
  });

  it.each([
    ["AzureManaged", "DoNotReply@0f0e0d0c.azurecomm.net"],
    ["CustomerManaged", "alerts@msp.example"],
  ] as const)("pace email to the quota the code gives a %s domain's sender", (domainKind, from) => {
    const s = rendered({ domainKind, from });
    const code = loadAlertSettings({ ACS_ENDPOINT: s.ACS_ENDPOINT, ALERT_FROM: from }).emailQuota;
    expect(code.source).toBe(domainKind === "AzureManaged" ? "managed-domain" : "custom-domain");
    expect(loadAlertSettings(s).emailQuota).toMatchObject({ perMinute: code.perMinute, perHour: code.perHour });
  });

  it("take the quota from its parameters when the operator has a raised limit", () => {
    const s = rendered({ params: { alertEmailsPerMinute: 200, alertEmailsPerHour: 6000 }, domainKind: "CustomerManaged", from: "alerts@msp.example" });
    expect(s).toMatchObject({ ALERT_EMAILS_PER_MINUTE: "200", ALERT_EMAILS_PER_HOUR: "6000" });
    expect(loadAlertSettings(s).emailQuota).toEqual({ perMinute: 200, perHour: 6000, source: "settings" });
  });

  /** The problems loadTicketSettings reports, [] when it loads. */
  const ticketProblems = (s: Record<string, string>): readonly string[] => {
    try {
      loadTicketSettings(s);
      return [];
    } catch (error) {
      if (error instanceof SettingsError) return error.problems;
      throw error;
    }
  };

  it("connect no PSA by default: every PSA setting empty, tickets off", () => {
    const s = rendered({});
    for (const name of PSA_SETTING_NAMES) expect(s[name], name).toBe("");
    expect(s.PSA_ON_CLOSED).toBe("reopen");
    expect(loadTicketSettings(s)).toEqual({ psa: {}, onClosed: "reopen" });
  });

  const PSA_PARAMS = {
    connectwise: {
      psaUrl: "https://api-na.myconnectwise.net/v4_6_release/apis/3.0",
      psaCompany: "msp",
      psaPublicKey: "pub",
      psaClientId: "cw-client",
      psaQueueId: "12",
      psaOpenStatusId: "3",
      psaClosedStatusId: "5",
    },
    autotask: { psaUserName: "api@msp.example", psaIntegrationCode: "CODE", psaQueueId: "29683", psaPriorities: "now=4,soon=1,notice=3" },
    halo: { psaUrl: "https://msp.halopsa.com", psaClientId: "halo-client", psaHaloTenant: "msp", psaOnClosed: "new" },
  } as const;
  const SECRET_SETTING = { connectwise: "PSA_CONNECTWISE_PRIVATE_KEY", autotask: "PSA_AUTOTASK_SECRET", halo: "PSA_HALO_CLIENT_SECRET" } as const;

  it.each(Object.keys(PSA_PARAMS) as (keyof typeof PSA_PARAMS)[])(
    "connect %s from its parameters, its secret a Key Vault reference that fails the tickets channel alone until it resolves",
    (kind) => {
      const s = rendered({ params: { psaKind: kind, ...PSA_PARAMS[kind] } });
      const secret = SECRET_SETTING[kind];
      expect(s[secret]).toBe(`@Microsoft.KeyVault(VaultName=${VAULT};SecretName=psa-secret)`);
      // Only this PSA's settings are set.
      const prefix = `PSA_${kind.toUpperCase()}_`;
      for (const name of PSA_SETTING_NAMES.filter((n) => !n.startsWith(prefix))) expect(s[name], name).toBe("");
      // Unresolved, the secret alone is reported, by name; the other loaders are untouched.
      expect(ticketProblems(s)).toEqual([expect.stringMatching(new RegExp(`^${secret} is a Key Vault reference the app could not resolve`))]);
      expect(() => SETTING_LOADERS.filter((l) => l.load !== loadTicketSettings).map((l) => l.load(s))).not.toThrow();
      // Resolved by App Service, the PSA loads as configured.
      const loaded = loadTicketSettings({ ...s, [secret]: "resolved-secret-value" });
      expect(Object.keys(loaded.psa)).toEqual([kind]);
      expect(loaded.onClosed).toBe(kind === "halo" ? "new" : "reopen");
    },
  );

  it("name the secret the operator chose", () => {
    const s = rendered({ params: { psaKind: "halo", ...PSA_PARAMS.halo, psaSecretName: "halo-client-secret" } });
    expect(s.PSA_HALO_CLIENT_SECRET).toBe(`@Microsoft.KeyVault(VaultName=${VAULT};SecretName=halo-client-secret)`);
    expect(loadTicketSettings({ ...s, PSA_HALO_CLIENT_SECRET: "x".repeat(20) }).psa.halo).toMatchObject({
      baseUrl: "https://msp.halopsa.com",
      tenant: "msp",
      clientId: "halo-client",
    });
  });
});
