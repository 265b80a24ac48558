/**
 * Every setting name the product reads, in one place, with where each belongs. The names come
 * from the loaders' zod schemas (SETTING_NAMES, ALERT_SETTING_NAMES), so a setting added to a
 * schema appears here without anyone remembering to; the scope map below is typed over those
 * names, so the compiler refuses a new setting until someone decides whether the template sets it.
 * test/infra reads infra/ against these lists.
 */
import { loadRemediationSettings, REMEDIATION_SETTING_NAMES, type RemediationSettingName } from "./remediation.js";
import { SETTING_NAMES, loadSettings, loadStoreSettings } from "./settings.js";
import { ALERT_SETTING_NAMES, loadAlertSettings } from "./alert-settings.js";
import { APP_SETTING_NAMES, loadAppSettings } from "./app-settings.js";
import { DEFAULT_DRIFT_SCHEDULE } from "./schedule.js";
import { loadTicketSettings, TICKET_SETTING_NAMES } from "../tickets/psa/settings.js";

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
  | (typeof SETTING_NAMES.graph)[number]
  | (typeof SETTING_NAMES.store)[number]
  | (typeof ALERT_SETTING_NAMES)[number]
  | (typeof APP_SETTING_NAMES)[number]
  | (typeof TICKET_SETTING_NAMES)[number]
  | RemediationSettingName;
export type SettingName = LoaderSettingName | keyof typeof BINDING_SETTINGS;

/**
 * - `template`: infra/main.bicep sets it on every deployment, from a parameter or from what the
 *   template creates, so `azd provision` never drops it (tunables at the code's defaults).
 * - `local-only`: the template never sets it, and docs/deploy.md (App settings) says why: a secret
 *   or a developer convenience (production is secretless: Graph through the federated credential,
 *   storage and email through the identity; a webhook URL comes from Key Vault).
 */
type SettingScope = "template" | "local-only" | "platform";

export const SETTING_SCOPES: Readonly<Record<SettingName, SettingScope>> = {
  // Graph (loadSettings)
  GRAPH_ENDPOINT: "template",
  GRAPH_ACCESS_TOKEN: "local-only", // a bearer token pasted for a quick look
  GRAPH_AUTH_MODE: "template", // federated
  AZURE_CLIENT_ID: "template", // the multi-tenant app registration
  AZURE_CLIENT_SECRET: "local-only", // secret
  AZURE_CLIENT_CERTIFICATE_PATH: "local-only", // a file on a developer's disk
  AZURE_CLIENT_CERTIFICATE_PASSWORD: "local-only", // secret
  MANAGED_IDENTITY_CLIENT_ID: "template", // the identity the app registration trusts
  AZURE_AUTHORITY_HOST: "template",
  SIGNIN_LOOKBACK_HOURS: "template",
  REGISTRATION_REPORT_HOURS: "template", // periodic-read-defaults.ts
  PASSWORD_EXPIRY_WARN_DAYS: "template",
  MANAGED_POLICY_WARN_DAYS: "template",
  ROLE_END_WARN_DAYS: "template",
  SIGNIN_CONTEXT_HOURS: "template",
  SIGNIN_CONTEXT_DAYS: "template",
  DEFAULT_PROFILE: "template",
  // Storage and monitoring (loadStoreSettings)
  AzureWebJobsStorage: "local-only", // a connection string carries the account key
  AzureWebJobsStorage__accountName: "template",
  AzureWebJobsStorage__tableServiceUri: "local-only", // derived from the account name in Azure
  AzureWebJobsStorage__queueServiceUri: "local-only", // derived from the account name in Azure
  AzureWebJobsStorage__clientId: "template",
  REMINDER_HOURS: "template",
  UNKNOWN_ALERT_AFTER: "template",
  SNAPSHOT_RETENTION_DAYS: "template",
  // Alerts (loadAlertSettings)
  ACS_CONNECTION_STRING: "local-only", // carries the ACS access key
  ACS_ENDPOINT: "template",
  ALERT_FROM: "template", // the sender domain's address (Azure-managed, custom or existing)
  ALERT_TO: "template",
  OUTBOX_DIR: "local-only", // .eml files: only when no ACS is configured
  ALERT_WEBHOOK_URL: "template", // a Key Vault reference to the secret the operator stores, never the URL itself
  ALERT_WEBHOOK_FORMAT: "template",
  ALERT_MAX_ATTEMPTS: "template",
  DASHBOARD_URL: "template", // from the app's host name
  ALERT_EMAILS_PER_MINUTE: "template", // the sender domain kind's ACS quota unless a parameter says otherwise
  ALERT_EMAILS_PER_HOUR: "template",
  // Functions app (loadAppSettings)
  CHECK_LEASE_MINUTES: "template",
  DASHBOARD_TENANT_ID: "template", // empty unless the dashboard's sign-in is deployed
  DASHBOARD_CLIENT_ID: "template", // empty unless the dashboard's sign-in is deployed: the audience of its ID tokens
  WEBSITE_AUTH_ENABLED: "platform", // "True" while App Service authentication is on for the app
  // Tickets (loadTicketSettings): the one PSA the template connects (psaKind) gets its settings, the
  // others are empty; each secret is a Key Vault reference to the secret the operator stores.
  PSA_CONNECTWISE_URL: "template",
  PSA_CONNECTWISE_COMPANY: "template",
  PSA_CONNECTWISE_PUBLIC_KEY: "template",
  PSA_CONNECTWISE_PRIVATE_KEY: "template", // a Key Vault reference, never the key
  PSA_CONNECTWISE_CLIENT_ID: "template",
  PSA_CONNECTWISE_BOARD_ID: "template",
  PSA_CONNECTWISE_OPEN_STATUS_ID: "template",
  PSA_CONNECTWISE_CLOSED_STATUS_ID: "template",
  PSA_CONNECTWISE_PRIORITIES: "template",
  PSA_AUTOTASK_USERNAME: "template",
  PSA_AUTOTASK_SECRET: "template", // a Key Vault reference, never the secret
  PSA_AUTOTASK_INTEGRATION_CODE: "template",
  PSA_AUTOTASK_ZONE_URL: "template",
  PSA_AUTOTASK_QUEUE_ID: "template",
  PSA_AUTOTASK_OPEN_STATUS_ID: "template",
  PSA_AUTOTASK_CLOSED_STATUS_ID: "template",
  PSA_AUTOTASK_PRIORITIES: "template",
  PSA_HALO_URL: "template",
  PSA_HALO_TENANT: "template",
  PSA_HALO_CLIENT_ID: "template",
  PSA_HALO_CLIENT_SECRET: "template", // a Key Vault reference, never the secret
  PSA_HALO_OPEN_STATUS_ID: "template",
  PSA_HALO_CLOSED_STATUS_ID: "template",
  PSA_HALO_PRIORITIES: "template",
  PSA_HALO_NOTE_OUTCOME_ID: "template",
  PSA_ON_CLOSED: "template",
  // Remediation's second app registration (lib/config/remediation.ts): off unless REMEDIATION_CLIENT_ID is set
  REMEDIATION_CLIENT_ID: "template",
  REMEDIATION_CLIENT_SECRET: "template", // a Key Vault reference, never the secret
  REMEDIATION_CLIENT_CERTIFICATE_PATH: "local-only", // a file on a developer's disk
  REMEDIATION_CLIENT_CERTIFICATE_PASSWORD: "local-only", // secret
  REMEDIATION_TIMEOUT_SECONDS: "template",
  REMEDIATION_VERIFY_SECONDS: "template",
  REMEDIATION_REQUIRE_APPROVAL: "template",
  REMEDIATION_APPROVAL_HOURS: "template",
  // Functions host bindings
  DRIFT_SCHEDULE: "template",
  DIGEST_SCHEDULE: "template",
};

/** Every setting name the product reads, each once (MANAGED_IDENTITY_CLIENT_ID is read by two loaders). */
export const ALL_SETTING_NAMES: readonly SettingName[] = [
  ...new Set<SettingName>([
    ...SETTING_NAMES.graph,
    ...SETTING_NAMES.store,
    ...ALERT_SETTING_NAMES,
    ...APP_SETTING_NAMES,
    ...TICKET_SETTING_NAMES,
    ...REMEDIATION_SETTING_NAMES,
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
  { names: TICKET_SETTING_NAMES, load: loadTicketSettings },
  { names: REMEDIATION_SETTING_NAMES, load: loadRemediationSettings },
];
