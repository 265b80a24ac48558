/**
 * The PSA connections, read apart from the other settings: a PSA is configured when any of its
 * PSA_<VENDOR>_* settings is set, and then every required one must be. Secrets (ConnectWise's
 * private key, Autotask's secret, Halo's client secret) are Key Vault references in production;
 * one App Service could not resolve is reported by name, never resolved here. Every problem names
 * its setting and none quotes a secret. TICKET_SETTING_NAMES lists every name, for
 * lib/config/names.ts (infra/main.bicep sets them from its psa* parameters: docs/tickets.md).
 */
import { z } from "zod";
import { SettingsError } from "../../config/settings.js";
import { checkUrl, KEY_VAULT_REFERENCE } from "../../config/alert-settings.js";
import { registerSecrets } from "../../errors/redact.js";
import { safeText } from "../../text/safe.js";
import { DEFAULT_PRIORITIES, parsePriorityMap, type PriorityMap } from "./priority.js";
import type { ConnectWiseSettings } from "./connectwise.js";
import type { AutotaskSettings } from "./autotask.js";
import type { HaloSettings } from "./halo.js";
import type { PsaVendor } from "./types.js";

export interface PsaSettings {
  readonly connectwise?: ConnectWiseSettings;
  readonly autotask?: AutotaskSettings;
  readonly halo?: HaloSettings;
}

const text = z.string().trim().min(1).optional().catch(undefined);
const envSchema = z.object({
  PSA_CONNECTWISE_URL: text,
  PSA_CONNECTWISE_COMPANY: text,
  PSA_CONNECTWISE_PUBLIC_KEY: text,
  PSA_CONNECTWISE_PRIVATE_KEY: text,
  PSA_CONNECTWISE_CLIENT_ID: text,
  PSA_CONNECTWISE_BOARD_ID: text,
  PSA_CONNECTWISE_OPEN_STATUS_ID: text,
  PSA_CONNECTWISE_CLOSED_STATUS_ID: text,
  PSA_CONNECTWISE_PRIORITIES: text,
  PSA_AUTOTASK_USERNAME: text,
  PSA_AUTOTASK_SECRET: text,
  PSA_AUTOTASK_INTEGRATION_CODE: text,
  PSA_AUTOTASK_ZONE_URL: text,
  PSA_AUTOTASK_QUEUE_ID: text,
  PSA_AUTOTASK_OPEN_STATUS_ID: text,
  PSA_AUTOTASK_CLOSED_STATUS_ID: text,
  PSA_AUTOTASK_PRIORITIES: text,
  PSA_HALO_URL: text,
  PSA_HALO_TENANT: text,
  PSA_HALO_CLIENT_ID: text,
  PSA_HALO_CLIENT_SECRET: text,
  PSA_HALO_OPEN_STATUS_ID: text,
  PSA_HALO_CLOSED_STATUS_ID: text,
  PSA_HALO_PRIORITIES: text,
  PSA_HALO_NOTE_OUTCOME_ID: text,
});
/** What a ticket a person closed while the drift stands becomes: reopened (default) or a new one. */
const PSA_ON_CLOSED = "PSA_ON_CLOSED";
const onClosedSchema = z.enum(["reopen", "new"]);
type OnClosed = z.infer<typeof onClosedSchema>;
type Env = z.infer<typeof envSchema>;
type Name = keyof Env;

export const PSA_SETTING_NAMES = Object.keys(envSchema.shape) as Name[];
/** Every setting the tickets channel reads. */
export const TICKET_SETTING_NAMES = [...PSA_SETTING_NAMES, PSA_ON_CLOSED] as const;

/** Autotask's documented zone lookup host: any zone answers for any user. */
const AUTOTASK_LOOKUP = "https://webservices.autotask.net/atservicesrest";
const SECRETS: readonly Name[] = ["PSA_CONNECTWISE_PRIVATE_KEY", "PSA_AUTOTASK_SECRET", "PSA_HALO_CLIENT_SECRET"];

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  required(name: Name, what: string): string {
    const value = this.env[name];
    if (value === undefined) this.problems.push(`${name} is required: ${what}`);
    else if (SECRETS.includes(name) && KEY_VAULT_REFERENCE.test(value)) {
      this.problems.push(
        `${name} is a Key Vault reference the app could not resolve: store the secret it names and check the identity's Key Vault Secrets User role`,
      );
    }
    return value ?? "";
  }

  url(name: Name, fallback?: string): string {
    const value = this.env[name] ?? fallback;
    if (value === undefined) {
      this.problems.push(`${name} is required: the PSA's https address`);
      return "";
    }
    const checked = checkUrl(name, value, "an https URL");
    if (!checked.ok) this.problems.push(checked.message);
    return value;
  }

  id(name: Name, fallback?: number): number {
    const value = this.env[name];
    if (value === undefined && fallback !== undefined) return fallback;
    if (value !== undefined && /^\d{1,9}$/.test(value) && Number(value) >= 1) return Number(value);
    this.problems.push(value === undefined ? `${name} is required: an id from the PSA` : `${name} must be a whole number from 1, got "${value}"`);
    return 0;
  }

  priorities(name: Name, vendor: PsaVendor): PriorityMap {
    const value = this.env[name];
    if (value === undefined) return DEFAULT_PRIORITIES[vendor];
    const parsed = parsePriorityMap(value, DEFAULT_PRIORITIES[vendor]);
    if (typeof parsed === "string") {
      this.problems.push(`${name}: ${parsed}`);
      return DEFAULT_PRIORITIES[vendor];
    }
    return parsed;
  }
}

const anySet = (env: Env, prefix: string): boolean => PSA_SETTING_NAMES.some((n) => n.startsWith(prefix) && env[n] !== undefined);

/** Reads and validates the PSA settings; throws SettingsError listing every problem at once. */
export function loadPsaSettings(raw: Record<string, string | undefined> = process.env): PsaSettings {
  const env = envSchema.parse(raw);
  const r = new Reader(env);
  const out: { connectwise?: ConnectWiseSettings; autotask?: AutotaskSettings; halo?: HaloSettings } = {};
  if (anySet(env, "PSA_CONNECTWISE_")) {
    out.connectwise = {
      baseUrl: r.url("PSA_CONNECTWISE_URL"),
      company: r.required("PSA_CONNECTWISE_COMPANY", "the company id you sign in with"),
      publicKey: r.required("PSA_CONNECTWISE_PUBLIC_KEY", "the API member's public key"),
      privateKey: r.required("PSA_CONNECTWISE_PRIVATE_KEY", "the API member's private key (a Key Vault reference)"),
      clientId: r.required("PSA_CONNECTWISE_CLIENT_ID", "the integration's clientId from developer.connectwise.com"),
      boardId: r.id("PSA_CONNECTWISE_BOARD_ID"),
      openStatusId: r.id("PSA_CONNECTWISE_OPEN_STATUS_ID"),
      closedStatusId: r.id("PSA_CONNECTWISE_CLOSED_STATUS_ID"),
      priorities: r.priorities("PSA_CONNECTWISE_PRIORITIES", "connectwise"),
    };
  }
  if (anySet(env, "PSA_AUTOTASK_")) {
    out.autotask = {
      lookupUrl: r.url("PSA_AUTOTASK_ZONE_URL", AUTOTASK_LOOKUP),
      zoneKnown: env.PSA_AUTOTASK_ZONE_URL !== undefined,
      userName: r.required("PSA_AUTOTASK_USERNAME", "the API-only user's user name"),
      secret: r.required("PSA_AUTOTASK_SECRET", "the API-only user's secret (a Key Vault reference)"),
      integrationCode: r.required("PSA_AUTOTASK_INTEGRATION_CODE", "the API user's tracking identifier"),
      queueId: r.id("PSA_AUTOTASK_QUEUE_ID"),
      openStatusId: r.id("PSA_AUTOTASK_OPEN_STATUS_ID", 1),
      closedStatusId: r.id("PSA_AUTOTASK_CLOSED_STATUS_ID", 5),
      priorities: r.priorities("PSA_AUTOTASK_PRIORITIES", "autotask"),
    };
  }
  if (anySet(env, "PSA_HALO_")) {
    out.halo = {
      baseUrl: r.url("PSA_HALO_URL"),
      tenant: env.PSA_HALO_TENANT,
      clientId: r.required("PSA_HALO_CLIENT_ID", "the API application's client ID"),
      clientSecret: r.required("PSA_HALO_CLIENT_SECRET", "the API application's client secret (a Key Vault reference)"),
      openStatusId: r.id("PSA_HALO_OPEN_STATUS_ID", 2),
      closedStatusId: r.id("PSA_HALO_CLOSED_STATUS_ID", 9),
      priorities: r.priorities("PSA_HALO_PRIORITIES", "halo"),
      noteOutcomeId: r.id("PSA_HALO_NOTE_OUTCOME_ID", 7),
    };
  }
  if (r.problems.length > 0) throw new SettingsError(r.problems);
  registerSecrets(SECRETS.map((n) => env[n]));
  return out;
}

/** The PSA connections and PSA_ON_CLOSED; throws SettingsError listing every problem at once. */
export function loadTicketSettings(raw: Record<string, string | undefined> = process.env): { psa: PsaSettings; onClosed: OnClosed } {
  const onClosedRaw = raw[PSA_ON_CLOSED]?.trim() || "reopen";
  const onClosed = onClosedSchema.safeParse(onClosedRaw);
  const problems = onClosed.success ? [] : [`${PSA_ON_CLOSED} must be reopen or new, got "${safeText(onClosedRaw)}"`];
  let psa: PsaSettings = {};
  try {
    psa = loadPsaSettings(raw);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    problems.unshift(...error.problems);
  }
  if (problems.length > 0 || !onClosed.success) throw new SettingsError(problems);
  return { psa, onClosed: onClosed.data };
}
