/**
 * Every setting name the product reads, in one place, with where each belongs. The names come
 * from the loaders' zod schemas (SETTING_NAMES, ALERT_SETTING_NAMES), so a setting added to a
 * schema appears here without anyone remembering to; the scope map below is typed over those
 * names, so the compiler refuses a new setting until someone decides whether production sets it.
 * test/infra reads infra/ against these lists.
 */
import { SETTING_NAMES, loadSettings, loadStoreSettings } from "./settings.js";
import { ALERT_SETTING_NAMES, loadAlertSettings } from "./alert-settings.js";
import { APP_SETTING_NAMES, loadAppSettings } from "./app-settings.js";
import { DEFAULT_DRIFT_SCHEDULE } from "./schedule.js";

/**
 * Settings the Functions host resolves in trigger bindings (`%DRIFT_SCHEDULE%`), not through a
 * loader. The host has no default for a `%NAME%` binding: an unset one stops the function from
 * loading, so the defaults live here and the template sets them.
 */
export const BINDING_SETTINGS = {
  /** NCRONTAB (with seconds): every 30 minutes. */
  DRIFT_SCHEDULE: { default: DEFAULT_DRIFT_SCHEDULE },
  /** NCRONTAB (with seconds): daily at 07:00 UTC. */
  DIGEST_SCHEDULE: { default: "0 0 7 * * *" },
} as const;

export type LoaderSettingName =
  (typeof SETTING_NAMES.graph)[number] | (typeof SETTING_NAMES.store)[number] | (typeof ALERT_SETTING_NAMES)[number] | (typeof APP_SETTING_NAMES)[number];
export type SettingName = LoaderSettingName | keyof typeof BINDING_SETTINGS;

/**
 * - `production`: the deployed app needs it, so the template sets it (tunables at the code's default).
 * - `optional`: the template may set it; nothing breaks without it.
 * - `local-only`: a secret or a local convenience; the template must never set it (production is
 *   secretless: Graph through the federated credential, storage and email through the identity).
 * - `platform`: App Service sets it itself; the template must never set it.
 */
type SettingScope = "production" | "optional" | "local-only" | "platform";

export const SETTING_SCOPES: Readonly<Record<SettingName, SettingScope>> = {
  // Graph (loadSettings)
  GRAPH_ENDPOINT: "production",
  GRAPH_ACCESS_TOKEN: "local-only", // a bearer token pasted for a quick look
  GRAPH_AUTH_MODE: "production", // federated
  AZURE_CLIENT_ID: "production", // the multi-tenant app registration
  AZURE_CLIENT_SECRET: "local-only", // secret
  AZURE_CLIENT_CERTIFICATE_PATH: "local-only", // a file on a developer's disk
  AZURE_CLIENT_CERTIFICATE_PASSWORD: "local-only", // secret
  MANAGED_IDENTITY_CLIENT_ID: "production", // the identity the app registration trusts
  AZURE_AUTHORITY_HOST: "production",
  SIGNIN_LOOKBACK_HOURS: "production",
  REGISTRATION_REPORT_HOURS: "optional", // default 24 h (periodic-read-defaults.ts)
  PASSWORD_EXPIRY_WARN_DAYS: "optional", // default 14 days
  MANAGED_POLICY_WARN_DAYS: "optional", // default 14 days
  SIGNIN_CONTEXT_HOURS: "optional", // default 24 h: sign-in contexts read at most this often
  SIGNIN_CONTEXT_DAYS: "optional", // default 14 days of contexts kept
  DEFAULT_PROFILE: "production",
  // Storage and monitoring (loadStoreSettings)
  AzureWebJobsStorage: "local-only", // a connection string carries the account key
  AzureWebJobsStorage__accountName: "production",
  AzureWebJobsStorage__tableServiceUri: "local-only", // derived from the account name in Azure
  AzureWebJobsStorage__queueServiceUri: "local-only", // derived from the account name in Azure
  AzureWebJobsStorage__clientId: "production",
  REMINDER_HOURS: "production",
  UNKNOWN_ALERT_AFTER: "production",
  SNAPSHOT_RETENTION_DAYS: "production",
  // Alerts (loadAlertSettings)
  ACS_CONNECTION_STRING: "local-only", // carries the ACS access key
  ACS_ENDPOINT: "production",
  ALERT_FROM: "production",
  ALERT_TO: "production",
  OUTBOX_DIR: "local-only", // .eml files: only when no ACS is configured
  ALERT_WEBHOOK_URL: "local-only", // its path is a token: add it as a Key Vault reference, never inline
  ALERT_WEBHOOK_FORMAT: "optional",
  ALERT_MAX_ATTEMPTS: "production",
  DASHBOARD_URL: "optional",
  ALERT_EMAILS_PER_MINUTE: "optional", // defaults to the sender domain's ACS quota (managed or custom)
  ALERT_EMAILS_PER_HOUR: "optional",
  // Functions app (loadAppSettings)
  CHECK_LEASE_MINUTES: "production",
  DASHBOARD_TENANT_ID: "optional", // set by the template when the dashboard's sign-in is deployed
  DASHBOARD_CLIENT_ID: "optional", // likewise: the audience of the sign-in's ID tokens
  WEBSITE_AUTH_ENABLED: "platform", // "True" while App Service authentication is on for the app
  // Functions host bindings
  DRIFT_SCHEDULE: "production",
  DIGEST_SCHEDULE: "production",
};

/** Every setting name the product reads, each once (MANAGED_IDENTITY_CLIENT_ID is read by two loaders). */
export const ALL_SETTING_NAMES: readonly SettingName[] = [
  ...new Set<SettingName>([
    ...SETTING_NAMES.graph,
    ...SETTING_NAMES.store,
    ...ALERT_SETTING_NAMES,
    ...APP_SETTING_NAMES,
    ...(Object.keys(BINDING_SETTINGS) as (keyof typeof BINDING_SETTINGS)[]),
  ]),
];

export function settingsIn(scope: SettingScope): readonly SettingName[] {
  return ALL_SETTING_NAMES.filter((n) => SETTING_SCOPES[n] === scope);
}

type Env = Record<string, string | undefined>;

/**
 * Each loader with the names it reads, so a test can ask any of them what a value means (the
 * template's defaults are checked by loading them). A new loader is registered here, beside its names.
 */
export const SETTING_LOADERS: readonly { readonly names: readonly SettingName[]; readonly load: (env: Env) => unknown }[] = [
  { names: SETTING_NAMES.graph, load: loadSettings },
  { names: SETTING_NAMES.store, load: loadStoreSettings },
  { names: ALERT_SETTING_NAMES, load: loadAlertSettings },
  { names: APP_SETTING_NAMES, load: loadAppSettings },
];
