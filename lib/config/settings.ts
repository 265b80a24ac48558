/**
 * Every setting the product reads, in one zod schema over the environment. Read once at start
 * (`loadSettings`); a missing or malformed setting fails with a message naming the setting and
 * what it expects. Nothing else in lib/ reads process.env.
 */
import { z } from "zod";

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number above 0, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const httpsUrl = (name: string, fallback: string) =>
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

export const GRAPH_AUTH_MODES = ["token", "secret", "certificate", "federated"] as const;
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
  SIGNIN_LOOKBACK_HOURS: positiveInt("SIGNIN_LOOKBACK_HOURS", 24),
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
    throw new SettingsError(
      parsed.error.issues.map((i) => (i.message.includes(String(i.path[0] ?? "")) ? i.message : `${String(i.path[0])}: ${i.message}`)),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode = inferMode(e);
  if (!mode) {
    problems.push(
      "No Graph credential: set GRAPH_ACCESS_TOKEN (a ready bearer token), or AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or MANAGED_IDENTITY_CLIENT_ID",
    );
  } else {
    if (mode === "token" && !e.GRAPH_ACCESS_TOKEN) problems.push("GRAPH_AUTH_MODE=token needs GRAPH_ACCESS_TOKEN");
    if (mode !== "token" && !e.AZURE_CLIENT_ID) problems.push(`GRAPH_AUTH_MODE=${mode} needs AZURE_CLIENT_ID (the multi-tenant app's client id)`);
    if (mode === "secret" && !e.AZURE_CLIENT_SECRET) problems.push("GRAPH_AUTH_MODE=secret needs AZURE_CLIENT_SECRET");
    if (mode === "certificate" && !e.AZURE_CLIENT_CERTIFICATE_PATH) problems.push("GRAPH_AUTH_MODE=certificate needs AZURE_CLIENT_CERTIFICATE_PATH (a PEM file with the private key)");
    if (mode === "federated" && !e.MANAGED_IDENTITY_CLIENT_ID) problems.push("GRAPH_AUTH_MODE=federated needs MANAGED_IDENTITY_CLIENT_ID (the user-assigned identity the app registration trusts)");
  }
  if (problems.length > 0 || !mode) throw new SettingsError(problems);
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
  };
}
