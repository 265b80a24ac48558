/**
 * The template's app settings are exactly the settings the code reads (lib/config/names.ts, built
 * from the loaders' schemas), with the same names and the same defaults, plus only the Functions
 * host's own; every `%NAME%` a binding in functions/ uses is set.
 */
import { describe, expect, it } from "vitest";
import { ALL_SETTING_NAMES, BINDING_SETTINGS, SETTING_LOADERS, SETTING_SCOPES, settingsIn, type SettingName } from "../../lib/config/names.js";
import { bicepFiles, entries, objectAfter, params, sourceFiles } from "./bicep-text.js";

/** Settings the Functions host (or App Service authentication: the client credential's identity) reads itself; the code never does. */
const HOST_SETTINGS = new Set([
  "AzureWebJobsStorage__credential",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
  "OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID",
]);

/**
 * Flex Consumption rejects or ignores these (the runtime and its version live in functionAppConfig,
 * the package in the deployment container), and a connection string would carry the account key.
 */
const NOT_ON_FLEX = [
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_EXTENSION_VERSION",
  "FUNCTIONS_WORKER_RUNTIME_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_CONTENTSHARE",
  "AzureWebJobsStorage",
];

const files = bicepFiles();
const main = files.get("infra/main.bicep") ?? "";
const appSettings = entries(objectAfter(main, /var appSettings\s*=\s*\{/));
const mainParams = params(main);

describe("the names lists", () => {
  it("gather every loader's schema and give each name a scope", () => {
    expect(SETTING_LOADERS.length).toBeGreaterThanOrEqual(3);
    for (const n of [...SETTING_LOADERS.flatMap((l) => l.names), ...Object.keys(BINDING_SETTINGS)]) {
      expect(ALL_SETTING_NAMES, n).toContain(n);
    }
    expect(new Set(ALL_SETTING_NAMES).size).toBe(ALL_SETTING_NAMES.length);
    for (const n of ALL_SETTING_NAMES) expect(SETTING_SCOPES[n], n).toBeDefined();
    expect(settingsIn("local-only")).toEqual(
      expect.arrayContaining(["GRAPH_ACCESS_TOKEN", "AZURE_CLIENT_SECRET", "AzureWebJobsStorage", "ACS_CONNECTION_STRING"]),
    );
  });
});

describe("infra/main.bicep app settings", () => {
  it("are all in one object the function app applies whole (nothing set elsewhere)", () => {
    expect(appSettings.size).toBeGreaterThan(10);
    for (const [path, text] of files) {
      // siteConfig.appSettings arrays or a second appsettings resource would escape this test.
      expect(text, path).not.toMatch(/^\s*appSettings\s*:\s*\[/m);
      expect(text, path).not.toMatch(/appSettingsKeyValuePairs/);
    }
    const settings = files.get("infra/modules/app-settings.bicep") ?? "";
    expect(settings).toMatch(/name: 'appsettings'\s*\n\s*properties: appSettings/);
    expect(main).toMatch(/appSettings: appSettings/);
    for (const [path, text] of files) if (path !== "infra/modules/app-settings.bicep") expect(text, path).not.toMatch(/name: 'appsettings'/);
  });

  it.each(settingsIn("template"))("set what the template owns: %s", (name) => {
    expect(appSettings.has(name), `${name} is read by the code and owned by the template, which does not set it`).toBe(true);
  });

  it.each(settingsIn("local-only"))("never set a local-only or secret setting: %s", (name) => {
    expect(appSettings.has(name), `${name} is local-only (a secret or a developer convenience)`).toBe(false);
  });

  it.each(settingsIn("platform"))("never set what App Service sets itself: %s", (name) => {
    expect(appSettings.has(name), `${name} is App Service's own`).toBe(false);
  });

  it("set nothing the code does not read, but for the Functions host's own", () => {
    const known = new Set<string>([...ALL_SETTING_NAMES, ...HOST_SETTINGS]);
    const unknown = [...appSettings.keys()].filter((k) => !known.has(k));
    expect(unknown, "set by the template, read by nobody").toEqual([]);
  });

  it.each(NOT_ON_FLEX)("leave out %s (not on Flex Consumption)", (name) => {
    expect(appSettings.has(name)).toBe(false);
  });

  it("use the identity for the host's storage and telemetry", () => {
    expect(appSettings.get("AzureWebJobsStorage__credential")).toBe("'managedidentity'");
    expect(appSettings.get("AzureWebJobsStorage__clientId")).toBe("identity.outputs.clientId");
    expect(appSettings.get("MANAGED_IDENTITY_CLIENT_ID")).toBe("identity.outputs.clientId");
    expect(appSettings.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")).toBe("'ClientId=${identity.outputs.clientId};Authorization=AAD'");
    expect(appSettings.get("GRAPH_AUTH_MODE")).toBe("'federated'");
    expect(appSettings.get("AZURE_CLIENT_ID")).toBe("graphAppClientId");
    expect(mainParams.get("graphAppClientId")?.default).toBeUndefined();
  });
});

/** The param a setting's value is, directly or through string(): its default is the setting's. */
function paramOf(value: string): string | undefined {
  return /^(?:string\((\w+)\)|(\w+))$/.exec(value)?.slice(1).find(Boolean);
}

// loadSettings needs some Graph credential; the other loaders ignore names that are not theirs.
const BASE = { GRAPH_ACCESS_TOKEN: "t" };

/** What the loaders that read a setting make of the environment. */
function loaded(name: SettingName, env: Record<string, string>): unknown[] {
  const loaders = SETTING_LOADERS.filter((l) => l.names.includes(name));
  if (loaders.length === 0) throw new Error(`${name} has no loader in SETTING_LOADERS`);
  return loaders.map((l) => l.load({ ...BASE, ...env }));
}

describe("defaults", () => {
  const tunables = [...appSettings].flatMap(([name, value]) => {
    const param = paramOf(value);
    const p = param ? mainParams.get(param) : undefined;
    return p?.default !== undefined && (ALL_SETTING_NAMES as readonly string[]).includes(name) ? [[name as SettingName, param!, p.default] as const] : [];
  });

  it("cover every tunable the template exposes", () => {
    expect(tunables.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        "SIGNIN_LOOKBACK_HOURS",
        "DEFAULT_PROFILE",
        "REMINDER_HOURS",
        "UNKNOWN_ALERT_AFTER",
        "SNAPSHOT_RETENTION_DAYS",
        "ALERT_MAX_ATTEMPTS",
        "CHECK_LEASE_MINUTES",
        "GRAPH_ENDPOINT",
        "AZURE_AUTHORITY_HOST",
        "ALERT_TO",
        "DRIFT_SCHEDULE",
        "DIGEST_SCHEDULE",
        "REGISTRATION_REPORT_HOURS",
        "SIGNIN_CONTEXT_HOURS",
        "SIGNIN_CONTEXT_DAYS",
        "PASSWORD_EXPIRY_WARN_DAYS",
        "MANAGED_POLICY_WARN_DAYS",
        "ROLE_END_WARN_DAYS",
      ]),
    );
  });

  it.each(tunables.filter(([n]) => !(n in BINDING_SETTINGS)))("%s: the template's default (param %s = %j) is the code's", (name, _param, value) => {
    // Setting it to the template's default must read exactly as leaving it unset.
    expect(loaded(name, { [name]: String(value) })).toEqual(loaded(name, {}));
  });

  it.each(tunables.filter(([n]) => n in BINDING_SETTINGS))("%s: the template's default (param %s = %j) is the binding's", (name, _param, value) => {
    expect(value).toBe(BINDING_SETTINGS[name as keyof typeof BINDING_SETTINGS].default);
  });

  it("the schedules: every 30 minutes, and daily", () => {
    expect(BINDING_SETTINGS.DRIFT_SCHEDULE.default).toBe("0 */30 * * * *");
    expect(BINDING_SETTINGS.DIGEST_SCHEDULE.default).toMatch(/^0 \d+ \d+ \* \* \*$/);
  });
});

describe("functions/ bindings", () => {
  // The Functions app may not exist yet; every %NAME% it uses, once it does, must be set.
  const used = [...sourceFiles("functions")].flatMap(([path, text]) => [...text.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)].map((m) => [path, m[1]!] as const));

  it("resolve every %NAME% from an app setting", () => {
    for (const [path, name] of used) expect(appSettings.has(name), `${path} binds %${name}%, which the template does not set`).toBe(true);
  });
});
