/**
 * Every setting the product reads, in one zod schema over the environment. Read once at start
 * (`loadSettings`); a missing or malformed setting fails with a message naming the setting and
 * what it expects. Nothing else in lib/ reads process.env.
 */
import { z } from "zod";
import { driftSchedulePeriod } from "./schedule.js";
import { registerSecrets } from "../errors/redact.js";
import type { WarnDays } from "../model/facts.js";
import { boundedInt } from "./bounded-int.js";
import { PERIODIC_READ_DEFAULTS } from "./periodic-read-defaults.js";

export const httpsUrl = (name: string, fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = v === undefined || v.trim() === "" ? fallback : v.trim();
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: `${name} must be an https URL, got "${value}"` });
        return z.NEVER;
      }
      if (url.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: `${name} must use https (the Graph client sends tokens only to https hosts), got "${value}"` });
        return z.NEVER;
      }
      return value.replace(/\/+$/, "");
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const GRAPH_AUTH_MODES = ["token", "secret", "certificate", "federated"] as const;
export type GraphAuthMode = (typeof GRAPH_AUTH_MODES)[number];

const envSchema = z.object({
  GRAPH_ENDPOINT: httpsUrl("GRAPH_ENDPOINT", "https://graph.microsoft.com"),
  GRAPH_ACCESS_TOKEN: optionalText,
  GRAPH_AUTH_MODE: z
    .string()
    .optional()
    .transform((v, ctx): GraphAuthMode | undefined => {
      if (v === undefined || v.trim() === "") return undefined;
      const mode = GRAPH_AUTH_MODES.find((m) => m === v.trim());
      if (!mode) {
        ctx.addIssue({ code: "custom", message: `GRAPH_AUTH_MODE must be one of ${GRAPH_AUTH_MODES.join(", ")}, got "${v}"` });
        return z.NEVER;
      }
      return mode;
    }),
  AZURE_CLIENT_ID: optionalText,
  AZURE_CLIENT_SECRET: optionalText,
  AZURE_CLIENT_CERTIFICATE_PATH: optionalText,
  AZURE_CLIENT_CERTIFICATE_PASSWORD: optionalText,
  MANAGED_IDENTITY_CLIENT_ID: optionalText,
  AZURE_AUTHORITY_HOST: httpsUrl("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com"),
  SIGNIN_LOOKBACK_HOURS: boundedInt("SIGNIN_LOOKBACK_HOURS", 24, 1, 720),
  // The registration report is metered (5 per 10 s per tenant, 122 per 10 s for the app): read it this often, else when the methods changed.
  REGISTRATION_REPORT_HOURS: boundedInt("REGISTRATION_REPORT_HOURS", PERIODIC_READ_DEFAULTS.registrationReportHours, 1, 168),
  // How early the password-expiry, managed-policies and admin-role (a Global Administrator that ends) checks warn.
  PASSWORD_EXPIRY_WARN_DAYS: boundedInt("PASSWORD_EXPIRY_WARN_DAYS", 14, 0, 365),
  MANAGED_POLICY_WARN_DAYS: boundedInt("MANAGED_POLICY_WARN_DAYS", 14, 0, 365),
  ROLE_END_WARN_DAYS: boundedInt("ROLE_END_WARN_DAYS", 14, 0, 365),
  SIGNIN_CONTEXT_HOURS: boundedInt("SIGNIN_CONTEXT_HOURS", PERIODIC_READ_DEFAULTS.signInContextHours, 1, 168),
  SIGNIN_CONTEXT_DAYS: boundedInt("SIGNIN_CONTEXT_DAYS", PERIODIC_READ_DEFAULTS.signInContextDays, 1, 30),
  DEFAULT_PROFILE: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? "strict" : v.trim())),
});

export interface GraphAuthSettings {
  readonly mode: GraphAuthMode;
  readonly accessToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly certificatePath?: string;
  readonly certificatePassword?: string;
  readonly managedIdentityClientId?: string;
  readonly authorityHost: string;
}

export interface Settings {
  readonly graphEndpoint: string;
  readonly graphAuth: GraphAuthSettings;
  readonly signInLookbackHours: number;
  readonly defaultProfile: string;
  /** REGISTRATION_REPORT_HOURS (optional here so settings built by hand need not name it). */
  readonly registrationReportHours?: number;
  /** PASSWORD_EXPIRY_WARN_DAYS, MANAGED_POLICY_WARN_DAYS and ROLE_END_WARN_DAYS (optional here so settings built by hand need not name them). */
  readonly warnDays?: WarnDays;
  /** SIGNIN_CONTEXT_HOURS / SIGNIN_CONTEXT_DAYS (optional, like registrationReportHours). */
  readonly signInContext?: { readonly hours: number; readonly days: number };
}

export class SettingsError extends Error {
  readonly code = "InvalidSettings";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

function inferMode(env: z.infer<typeof envSchema>): GraphAuthMode | undefined {
  if (env.GRAPH_AUTH_MODE) return env.GRAPH_AUTH_MODE;
  if (env.GRAPH_ACCESS_TOKEN) return "token";
  if (env.AZURE_CLIENT_CERTIFICATE_PATH) return "certificate";
  if (env.AZURE_CLIENT_SECRET) return "secret";
  if (env.MANAGED_IDENTITY_CLIENT_ID) return "federated";
  return undefined;
}

/** Reads and validates the settings; throws SettingsError listing every problem at once. */
export function loadSettings(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => (i.message.includes(String(i.path[0] ?? "")) ? i.message : `${String(i.path[0])}: ${i.message}`)));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode = inferMode(e);
  if (!mode) {
    problems.push(
      "No Graph credential: set GRAPH_ACCESS_TOKEN (a ready bearer token), or AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, " +
        "AZURE_CLIENT_CERTIFICATE_PATH or MANAGED_IDENTITY_CLIENT_ID",
    );
  } else {
    if (mode === "token" && !e.GRAPH_ACCESS_TOKEN) problems.push("GRAPH_AUTH_MODE=token needs GRAPH_ACCESS_TOKEN");
    if (mode !== "token" && !e.AZURE_CLIENT_ID) problems.push(`GRAPH_AUTH_MODE=${mode} needs AZURE_CLIENT_ID (the multi-tenant app's client id)`);
    if (mode === "secret" && !e.AZURE_CLIENT_SECRET) problems.push("GRAPH_AUTH_MODE=secret needs AZURE_CLIENT_SECRET");
    if (mode === "certificate" && !e.AZURE_CLIENT_CERTIFICATE_PATH)
      problems.push("GRAPH_AUTH_MODE=certificate needs AZURE_CLIENT_CERTIFICATE_PATH (a PEM file with the private key)");
    if (mode === "federated" && !e.MANAGED_IDENTITY_CLIENT_ID)
      problems.push("GRAPH_AUTH_MODE=federated needs MANAGED_IDENTITY_CLIENT_ID (the user-assigned identity the app registration trusts)");
  }
  if (problems.length > 0 || !mode) throw new SettingsError(problems);
  registerSecrets([e.GRAPH_ACCESS_TOKEN, e.AZURE_CLIENT_SECRET, e.AZURE_CLIENT_CERTIFICATE_PASSWORD]);
  return {
    graphEndpoint: e.GRAPH_ENDPOINT,
    graphAuth: {
      mode,
      accessToken: e.GRAPH_ACCESS_TOKEN,
      clientId: e.AZURE_CLIENT_ID,
      clientSecret: e.AZURE_CLIENT_SECRET,
      certificatePath: e.AZURE_CLIENT_CERTIFICATE_PATH,
      certificatePassword: e.AZURE_CLIENT_CERTIFICATE_PASSWORD,
      managedIdentityClientId: e.MANAGED_IDENTITY_CLIENT_ID,
      authorityHost: e.AZURE_AUTHORITY_HOST,
    },
    signInLookbackHours: e.SIGNIN_LOOKBACK_HOURS,
    defaultProfile: e.DEFAULT_PROFILE,
    registrationReportHours: e.REGISTRATION_REPORT_HOURS,
    warnDays: { passwordExpiry: e.PASSWORD_EXPIRY_WARN_DAYS, managedPolicy: e.MANAGED_POLICY_WARN_DAYS, roleEnd: e.ROLE_END_WARN_DAYS },
    signInContext: { hours: e.SIGNIN_CONTEXT_HOURS, days: e.SIGNIN_CONTEXT_DAYS },
  };
}

// Storage and monitoring settings. Separate from loadSettings on purpose: a caller that only
// needs Table Storage (the alert sender, the tenants API, the history readers) must not fail for
// want of a Graph credential, and a Graph-only caller (the `check` command) needs no storage.

/** Where Table Storage is: an account connection string, or an account endpoint reached with an identity. */
export type StorageTarget =
  | { readonly kind: "connection-string"; readonly connectionString: string }
  | {
      readonly kind: "identity";
      readonly tableServiceUri: string;
      readonly queueServiceUri?: string;
      /** A user-assigned managed identity's client id; absent = DefaultAzureCredential's choice. */
      readonly clientId?: string;
    };

export interface StoreSettings {
  readonly storage: StorageTarget;
  /** Hours a failing finding waits before its reminder (REMINDER_HOURS). */
  readonly reminderHours: number;
  /** Consecutive `unknown` runs before "monitoring degraded" is sent (UNKNOWN_ALERT_AFTER). */
  readonly unknownAlertAfter: number;
  /** Snapshots older than this many days are removed (SNAPSHOT_RETENTION_DAYS). */
  readonly snapshotRetentionDays: number;
  /** The longest gap between two scheduled runs (DRIFT_SCHEDULE): "not checked since" waits two. */
  readonly schedulePeriodMs: number;
}

/** An endpoint for identity-based storage: https, or http only on loopback (Azurite). */
const storageUrl = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const value = v.trim();
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: `${name} must be a URL such as https://<account>.table.core.windows.net, got "${value}"` });
        return z.NEVER;
      }
      const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
      if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
        ctx.addIssue({ code: "custom", message: `${name} must use https (http is accepted only for 127.0.0.1/localhost), got "${value}"` });
        return z.NEVER;
      }
      return value.replace(/\/+$/, "");
    });

const storeEnvSchema = z.object({
  AzureWebJobsStorage: optionalText,
  AzureWebJobsStorage__accountName: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const name = v.trim();
      if (!/^[a-z0-9]{3,24}$/.test(name)) {
        ctx.addIssue({
          code: "custom",
          message: `AzureWebJobsStorage__accountName must be a storage account name (3-24 lower-case letters and digits), got "${v}"`,
        });
        return z.NEVER;
      }
      return name;
    }),
  AzureWebJobsStorage__tableServiceUri: storageUrl("AzureWebJobsStorage__tableServiceUri"),
  AzureWebJobsStorage__queueServiceUri: storageUrl("AzureWebJobsStorage__queueServiceUri"),
  AzureWebJobsStorage__clientId: optionalText,
  REMINDER_HOURS: boundedInt("REMINDER_HOURS", 24, 1, 720),
  UNKNOWN_ALERT_AFTER: boundedInt("UNKNOWN_ALERT_AFTER", 3, 1, 100),
  SNAPSHOT_RETENTION_DAYS: boundedInt("SNAPSHOT_RETENTION_DAYS", 90, 1, 3650),
  // The timer's own binding setting, read here too: its period sizes the "not checked since" alert.
  DRIFT_SCHEDULE: driftSchedulePeriod,
});

function storageTarget(e: z.infer<typeof storeEnvSchema>, problems: string[]): StorageTarget {
  if (e.AzureWebJobsStorage) {
    const cs = e.AzureWebJobsStorage;
    const keys = new Set(
      cs
        .split(";")
        .map((part) => part.split("=")[0]?.trim().toLowerCase())
        .filter((k): k is string => !!k),
    );
    const usable =
      /usedevelopmentstorage=true/i.test(cs) ||
      (keys.has("accountname") && keys.has("accountkey")) ||
      (keys.has("tableendpoint") && keys.has("sharedaccesssignature"));
    if (!usable) {
      problems.push(
        "AzureWebJobsStorage must be a storage connection string (UseDevelopmentStorage=true, or AccountName=…;AccountKey=…, or " +
          "TableEndpoint=…;SharedAccessSignature=…); for a managed identity leave it empty and set AzureWebJobsStorage__accountName",
      );
    }
    return { kind: "connection-string", connectionString: cs };
  }
  const account = e.AzureWebJobsStorage__accountName;
  const tableServiceUri = e.AzureWebJobsStorage__tableServiceUri ?? (account ? `https://${account}.table.core.windows.net` : undefined);
  if (tableServiceUri) {
    const queueServiceUri = e.AzureWebJobsStorage__queueServiceUri ?? (account ? `https://${account}.queue.core.windows.net` : undefined);
    return { kind: "identity", tableServiceUri, queueServiceUri, clientId: e.AzureWebJobsStorage__clientId };
  }
  // The Functions host's own default: the local storage emulator.
  return { kind: "connection-string", connectionString: "UseDevelopmentStorage=true" };
}

/** Reads and validates the storage and monitoring settings; throws SettingsError listing every problem. */
export function loadStoreSettings(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): StoreSettings {
  const parsed = storeEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => (i.message.includes(String(i.path[0] ?? "")) ? i.message : `${String(i.path[0])}: ${i.message}`)));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const storage = storageTarget(e, problems);
  if (problems.length > 0) throw new SettingsError(problems);
  return {
    storage,
    reminderHours: e.REMINDER_HOURS,
    unknownAlertAfter: e.UNKNOWN_ALERT_AFTER,
    snapshotRetentionDays: e.SNAPSHOT_RETENTION_DAYS,
    schedulePeriodMs: e.DRIFT_SCHEDULE,
  };
}

/**
 * The environment names each loader reads, taken from its schema's shape so the list cannot drift
 * from the schema (lib/config/names.ts gathers every group; test/infra checks the Bicep against it).
 */
export const SETTING_NAMES = {
  graph: Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[],
  store: Object.keys(storeEnvSchema.shape) as (keyof typeof storeEnvSchema.shape)[],
} as const;
