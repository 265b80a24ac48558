/**
 * Settings only the Functions app reads (the CLI and the checks do not): how long a tenant's
 * check lease lasts, and who may open the dashboard. The trigger schedules (DRIFT_SCHEDULE, DIGEST_SCHEDULE) are resolved by the
 * host itself (see BINDING_SETTINGS in names.ts).
 */
import { z } from "zod";
import { maxCheckInFlightMs } from "./host.js";
import { httpsUrl, SettingsError } from "./settings.js";

/**
 * The lease must outlive every retry of a check (attempts × function timeout, plus the waits
 * between them), or the scheduler would queue a tenant whose check the host is still retrying.
 */
export const MIN_CHECK_LEASE_MINUTES = Math.ceil(maxCheckInFlightMs() / 60_000);
export const DEFAULT_CHECK_LEASE_MINUTES = 45;
/** A week: the longest lease the setting allows, so the longest any host writes. */
export const MAX_CHECK_LEASE_MINUTES = 7 * 24 * 60;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const envSchema = z.object({
  /**
   * The operator's own Entra tenant: the dashboard admits only people signed in there (App Service
   * authentication, infra/modules/dashboard-auth.bicep). Unset: the dashboard answers 403 in Azure.
   */
  DASHBOARD_TENANT_ID: z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .refine((v) => v === null || GUID.test(v), { error: "DASHBOARD_TENANT_ID must be the operator's tenant id (a GUID)" }),
  /** The dashboard's app registration: the audience its ID tokens must name. Unset: the dashboard answers 403 in Azure. */
  DASHBOARD_CLIENT_ID: z
    .string()
    .optional()
    .transform((v) => v?.trim() || null)
    .refine((v) => v === null || GUID.test(v), { error: "DASHBOARD_CLIENT_ID must be the client id of the dashboard's app registration (a GUID)" }),
  /**
   * Set by App Service itself ("True") when its authentication is on for the app (as Microsoft.Identity.Web's
   * AppServicesAuthenticationInformation reads it): only then are the X-MS-* headers the platform's.
   */
  WEBSITE_AUTH_ENABLED: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() === "true"),
  /** Where the ID tokens' issuer and signing keys are (the same authority the Graph credential uses). */
  AZURE_AUTHORITY_HOST: httpsUrl("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com"),
  CHECK_LEASE_MINUTES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return DEFAULT_CHECK_LEASE_MINUTES;
      const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
      if (!Number.isSafeInteger(n) || n < MIN_CHECK_LEASE_MINUTES || n > MAX_CHECK_LEASE_MINUTES) {
        ctx.addIssue({
          code: "custom",
          message:
            `CHECK_LEASE_MINUTES must be a whole number from ${MIN_CHECK_LEASE_MINUTES} to ${MAX_CHECK_LEASE_MINUTES}, got "${v}" ` +
            "(the lower bound is the longest a check can be retried by the host)",
        });
        return z.NEVER;
      }
      return n;
    }),
});

/** Who may open the dashboard in Azure: people of `tenantId` signed in to the app registration `clientId` by App Service. */
export interface DashboardSignIn {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
}

export interface AppSettings {
  /** How long a queued check keeps its tenant from being queued again (CHECK_LEASE_MINUTES). */
  readonly checkLeaseMinutes: number;
  /** DASHBOARD_TENANT_ID and DASHBOARD_CLIENT_ID (both, or null: the dashboard is off in Azure). */
  readonly dashboardSignIn: DashboardSignIn | null;
  /** WEBSITE_AUTH_ENABLED: App Service authentication is on, so its X-MS-* headers are the platform's. */
  readonly appServiceAuthEnabled: boolean;
}

export function loadAppSettings(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): AppSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => i.message));
  const { DASHBOARD_TENANT_ID: tenantId, DASHBOARD_CLIENT_ID: clientId } = parsed.data;
  return {
    checkLeaseMinutes: parsed.data.CHECK_LEASE_MINUTES,
    dashboardSignIn: tenantId && clientId ? { tenantId, clientId, authorityHost: parsed.data.AZURE_AUTHORITY_HOST } : null,
    appServiceAuthEnabled: parsed.data.WEBSITE_AUTH_ENABLED,
  };
}

/** The environment names loadAppSettings reads, from its schema's shape (see lib/config/names.ts). */
export const APP_SETTING_NAMES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
