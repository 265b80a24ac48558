/**
 * Alert delivery settings, read apart from the Graph and storage settings: the sender needs
 * neither a Graph credential nor the monitoring knobs, and a machine that only checks tenants must
 * not fail for want of an email sender. Every problem names the setting; secrets (the ACS access
 * key, webhook URLs that carry tokens) are never echoed back.
 */
import { parseClientArguments } from "@azure/communication-common";
import { z } from "zod";
import { SettingsError } from "./settings.js";
import { registerSecrets } from "../errors/redact.js";

/** Teams or Slack chat messages, or `lifecycle`: one JSON event per finding opened, updated and resolved (docs/alerts.md). */
export const WEBHOOK_FORMATS = ["teams", "slack", "lifecycle"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** How email leaves: ACS with a key, ACS with an identity, or `.eml` files when no ACS is set. */
export type EmailTarget =
  | { readonly kind: "acs-connection-string"; readonly connectionString: string; readonly endpoint: string }
  | { readonly kind: "acs-identity"; readonly endpoint: string; readonly clientId?: string }
  | { readonly kind: "eml" };

export interface AlertSettings {
  readonly email: EmailTarget;
  /** The sender (ALERT_FROM): an address on a domain verified in ACS. */
  readonly from: string;
  /** The global recipients added to every tenant's own list (ALERT_TO). */
  readonly to: readonly string[];
  /** Where `.eml` files go (OUTBOX_DIR). Used when no ACS is configured. */
  readonly outboxDir: string;
  /**
   * `unresolved`: ALERT_WEBHOOK_URL is a Key Vault reference App Service could not resolve; the
   * webhook's sends fail with this reason (and are retried) while email goes on.
   */
  readonly webhook?: { readonly url: string; readonly format: WebhookFormat; readonly unresolved?: string };
  /** Attempts before an alert is dead-lettered (ALERT_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** Linked from every email when set (DASHBOARD_URL). */
  readonly dashboardUrl?: string;
  /** How many emails ACS takes from this sender (ALERT_EMAILS_PER_MINUTE / _PER_HOUR); see lib/alerts/quota.ts. */
  readonly emailQuota: EmailQuota;
}

/** The sending limits of the ACS subscription, and where the figures came from. */
export interface EmailQuota {
  readonly perMinute: number;
  readonly perHour: number;
  /** "managed-domain": the sender is on an Azure-managed domain (*.azurecomm.net) and no figure was set; "custom-domain": likewise for a custom domain. */
  readonly source: "settings" | "managed-domain" | "custom-domain";
}

/**
 * The default email sending limits, per subscription, from "Service limits for Azure Communication
 * Services", section Email, "Rate limits for email"
 * (https://learn.microsoft.com/en-us/azure/communication-services/concepts/service-limits#rate-limits-for-email):
 * an Azure-managed domain sends 5 emails a minute and 10 an hour (higher limits are not available);
 * a custom domain 30 a minute and 100 an hour until a support request raises them (the email SDK
 * overview, https://learn.microsoft.com/en-us/azure/communication-services/concepts/email/sdk-features,
 * states the same 30 and 100).
 */
const MANAGED_DOMAIN_QUOTA = { perMinute: 5, perHour: 10 } as const;
const CUSTOM_DOMAIN_QUOTA = { perMinute: 30, perHour: 100 } as const;

/** Azure-managed sender domains are `<guid>.azurecomm.net`. */
const isManagedDomain = (from: string): boolean => /\.azurecomm\.net$/i.test(from.split("@")[1] ?? "");

export const DEFAULT_OUTBOX_DIR = ".outbox";
const DEFAULT_MAX_ATTEMPTS = 8;
/** The `.eml` sender when nothing is configured: the files never leave the machine. */
const DEFAULT_EML_FROM = "drift-monitor@localhost";

/** App Service replaces `@Microsoft.KeyVault(...)` with the secret; left as is, it could not. */
export const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const EMAIL = z.email();

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** https anywhere, http only on loopback (local fakes and tests). Returns a message or the URL. */
export function checkUrl(name: string, value: string, what: string): { ok: true; url: URL } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, message: `${name} must be ${what}` };
  }
  if (url.protocol === "https:") return { ok: true, url };
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return { ok: true, url };
  return { ok: false, message: `${name} must use https (http is accepted only for 127.0.0.1/localhost)` };
}

/** `endpoint=https://….communication.azure.com/;accesskey=<base64>`, in that order (the SDK's parser needs it). */
function parseConnectionString(cs: string, problems: string[]): string | undefined {
  const m = /^endpoint=([^;]+);accesskey=(.+)$/i.exec(cs.replace(/;\s*$/, ""));
  if (!m?.[1] || !m[2]) {
    problems.push("ACS_CONNECTION_STRING must look like endpoint=https://<resource>.communication.azure.com/;accesskey=<key> (endpoint first)");
    return undefined;
  }
  const key = m[2].trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) {
    problems.push("ACS_CONNECTION_STRING: the accesskey is not base64 (copy the whole connection string from the resource's Keys page)");
  }
  const checked = checkUrl("ACS_CONNECTION_STRING's endpoint", m[1].trim(), "an https URL");
  if (!checked.ok) {
    problems.push(checked.message);
    return undefined;
  }
  const refused = sdkRefusal("ACS_CONNECTION_STRING's endpoint", checked.url, () => parseClientArguments(cs));
  if (refused) {
    problems.push(refused);
    return undefined;
  }
  return checked.url.toString();
}

/** Stands in for the managed identity so the SDK checks the endpoint alone; it is never asked for a token. */
const ENDPOINT_ONLY = { getToken: () => Promise.resolve(null) };

/**
 * What EmailClient's own argument parser (the one it runs when it is made) says of the value, so a
 * setting it would refuse at every send is refused here, once, by name. Its message quotes the
 * connection string, key and all, so it is never passed on.
 */
function sdkRefusal(name: string, url: URL, parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch {
    if (url.pathname !== "" && url.pathname !== "/") {
      return `${name} has a path after the host: the ACS SDK takes only the resource's address, https://<resource>.communication.azure.com/`;
    }
    return `${name} is refused by the ACS SDK: use the resource's address, https://<resource>.communication.azure.com/`;
  }
}

const envSchema = z.object({
  ACS_CONNECTION_STRING: text,
  ACS_ENDPOINT: text,
  // The app's own user-assigned identity; AZURE_CLIENT_ID is the multi-tenant Graph app, not this.
  MANAGED_IDENTITY_CLIENT_ID: text,
  ALERT_FROM: text,
  ALERT_TO: text,
  OUTBOX_DIR: text,
  ALERT_WEBHOOK_URL: text,
  ALERT_WEBHOOK_FORMAT: text,
  ALERT_MAX_ATTEMPTS: text,
  DASHBOARD_URL: text,
  ALERT_EMAILS_PER_MINUTE: text,
  ALERT_EMAILS_PER_HOUR: text,
});

/** A whole number of emails from 1 to 1,000,000 (ACS raises custom-domain limits to 1-2 million an hour on request). */
const quotaFigure = z.coerce.number().int().min(1).max(2_000_000);

function emailQuotaOf(from: string, perMinute: string | undefined, perHour: string | undefined, problems: string[]): EmailQuota {
  const base = isManagedDomain(from) ? MANAGED_DOMAIN_QUOTA : CUSTOM_DOMAIN_QUOTA;
  const read = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const parsed = quotaFigure.safeParse(raw);
    if (parsed.success && /^\d+$/.test(raw)) return parsed.data;
    problems.push(`${name} must be a whole number of emails from 1 to 2000000, got "${raw}"`);
    return fallback;
  };
  const m = read("ALERT_EMAILS_PER_MINUTE", perMinute, base.perMinute);
  const h = read("ALERT_EMAILS_PER_HOUR", perHour, base.perHour);
  if (m > h) problems.push(`ALERT_EMAILS_PER_MINUTE (${m}) cannot be more than ALERT_EMAILS_PER_HOUR (${h})`);
  const source = perMinute !== undefined || perHour !== undefined ? "settings" : isManagedDomain(from) ? "managed-domain" : "custom-domain";
  return { perMinute: m, perHour: h, source };
}

/** Reads and validates the alert settings; throws SettingsError listing every problem at once. */
export function loadAlertSettings(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): AlertSettings {
  const e = envSchema.parse(env);
  const problems: string[] = [];

  let email: EmailTarget = { kind: "eml" };
  if (e.ACS_CONNECTION_STRING && e.ACS_ENDPOINT) {
    problems.push("set either ACS_CONNECTION_STRING (access key) or ACS_ENDPOINT (managed identity), not both");
  } else if (e.ACS_CONNECTION_STRING) {
    const endpoint = parseConnectionString(e.ACS_CONNECTION_STRING, problems);
    if (endpoint) email = { kind: "acs-connection-string", connectionString: e.ACS_CONNECTION_STRING, endpoint };
  } else if (e.ACS_ENDPOINT) {
    const checked = checkUrl("ACS_ENDPOINT", e.ACS_ENDPOINT, "a URL such as https://<resource>.communication.azure.com");
    const refused = checked.ok ? sdkRefusal("ACS_ENDPOINT", checked.url, () => parseClientArguments(checked.url.toString(), ENDPOINT_ONLY)) : checked.message;
    if (checked.ok && !refused) email = { kind: "acs-identity", endpoint: checked.url.toString(), clientId: e.MANAGED_IDENTITY_CLIENT_ID };
    else if (refused) problems.push(refused);
  }

  let from = DEFAULT_EML_FROM;
  if (e.ALERT_FROM) {
    if (EMAIL.safeParse(e.ALERT_FROM).success) from = e.ALERT_FROM;
    else problems.push(`ALERT_FROM must be an email address, got "${e.ALERT_FROM}"`);
  } else if (email.kind !== "eml") {
    problems.push(
      "ALERT_FROM is required with ACS: the sender address on a domain connected to the Communication Services resource (e.g. DoNotReply@<guid>.azurecomm.net)",
    );
  }

  const to: string[] = [];
  for (const raw of (e.ALERT_TO ?? "").split(/[,;]/)) {
    const address = raw.trim();
    if (address === "") continue;
    if (!EMAIL.safeParse(address).success) problems.push(`ALERT_TO: "${address}" is not an email address (separate addresses with commas)`);
    else if (!to.some((t) => t.toLowerCase() === address.toLowerCase())) to.push(address);
  }

  let webhook: AlertSettings["webhook"];
  const format = e.ALERT_WEBHOOK_FORMAT?.toLowerCase();
  if (format !== undefined && !WEBHOOK_FORMATS.some((f) => f === format)) {
    problems.push(`ALERT_WEBHOOK_FORMAT must be one of ${WEBHOOK_FORMATS.join(", ")}, got "${e.ALERT_WEBHOOK_FORMAT}"`);
  }
  if (e.ALERT_WEBHOOK_URL && KEY_VAULT_REFERENCE.test(e.ALERT_WEBHOOK_URL)) {
    // App Service leaves a reference it cannot resolve in place (a missing secret, a role not yet
    // in effect). It names the vault and secret, not the URL. Email must not wait for it.
    const unresolved =
      `ALERT_WEBHOOK_URL is a Key Vault reference the app could not resolve (${e.ALERT_WEBHOOK_URL}): store the secret it names, ` +
      "check the identity's Key Vault Secrets User role, or unset ALERT_WEBHOOK_SECRET_NAME and azd provision (docs/deploy.md)";
    webhook = { url: "", format: WEBHOOK_FORMATS.find((f) => f === format) ?? "teams", unresolved };
  } else if (e.ALERT_WEBHOOK_URL) {
    // The URL is a secret (its path is the token): never quote it.
    const checked = checkUrl("ALERT_WEBHOOK_URL", e.ALERT_WEBHOOK_URL, "a URL (Teams or Slack incoming webhook, or a lifecycle receiver)");
    if (!checked.ok) problems.push(checked.message);
    if (checked.ok) {
      const chosen = WEBHOOK_FORMATS.find((f) => f === format) ?? (/(^|\.)slack\.com$/i.test(checked.url.hostname) ? "slack" : "teams");
      webhook = { url: e.ALERT_WEBHOOK_URL, format: chosen };
    }
  } else if (e.ALERT_WEBHOOK_FORMAT) {
    problems.push("ALERT_WEBHOOK_FORMAT is set but ALERT_WEBHOOK_URL is not");
  }

  let maxAttempts = DEFAULT_MAX_ATTEMPTS;
  if (e.ALERT_MAX_ATTEMPTS !== undefined) {
    const n = /^\d+$/.test(e.ALERT_MAX_ATTEMPTS) ? Number(e.ALERT_MAX_ATTEMPTS) : NaN;
    if (Number.isSafeInteger(n) && n >= 1 && n <= 100) maxAttempts = n;
    else problems.push(`ALERT_MAX_ATTEMPTS must be a whole number from 1 to 100, got "${e.ALERT_MAX_ATTEMPTS}"`);
  }

  let dashboardUrl: string | undefined;
  if (e.DASHBOARD_URL) {
    const checked = checkUrl("DASHBOARD_URL", e.DASHBOARD_URL, "a URL");
    if (checked.ok) dashboardUrl = e.DASHBOARD_URL;
    else problems.push(checked.message);
  }

  const emailQuota = emailQuotaOf(from, e.ALERT_EMAILS_PER_MINUTE, e.ALERT_EMAILS_PER_HOUR, problems);

  if (problems.length > 0) throw new SettingsError(problems);
  const acsKey = /accesskey=([^;]+)/i.exec(e.ACS_CONNECTION_STRING ?? "")?.[1];
  registerSecrets([e.ACS_CONNECTION_STRING, acsKey, e.ALERT_WEBHOOK_URL]);
  return { email, from, to, outboxDir: e.OUTBOX_DIR ?? DEFAULT_OUTBOX_DIR, webhook, maxAttempts, dashboardUrl, emailQuota };
}

/** The environment names loadAlertSettings reads, from its schema's shape (see lib/config/names.ts). */
export const ALERT_SETTING_NAMES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
