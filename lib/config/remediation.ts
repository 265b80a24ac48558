/**
 * The remediation app: a SECOND app registration, apart from the read-only monitoring app, holding
 * only the write permissions the fixes need (Policy.Read.All, Policy.ReadWrite.ConditionalAccess,
 * Policy.ReadWrite.AuthenticationMethod, User.ReadWrite.All), consented only in the tenants whose
 * MSP opts in. Not configured (no REMEDIATION_CLIENT_ID): no writes anywhere, so no Fix button.
 *
 * It signs in at the same authority and calls the same Graph endpoint as the monitoring app
 * (GRAPH_ENDPOINT, AZURE_AUTHORITY_HOST); its own credential is a client secret or a certificate.
 */
import { z } from "zod";
import { registerSecrets } from "../errors/redact.js";
import { boundedInt } from "./bounded-int.js";
import { httpsUrl, SettingsError, type GraphAuthSettings } from "./settings.js";

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const remediationSchema = z.object({
  GRAPH_ENDPOINT: httpsUrl("GRAPH_ENDPOINT", "https://graph.microsoft.com"),
  AZURE_AUTHORITY_HOST: httpsUrl("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com"),
  REMEDIATION_CLIENT_ID: optionalText.refine((v) => v === undefined || GUID.test(v), {
    message: "REMEDIATION_CLIENT_ID must be the remediation app's client id (a GUID)",
  }),
  REMEDIATION_CLIENT_SECRET: optionalText,
  REMEDIATION_CLIENT_CERTIFICATE_PATH: optionalText,
  REMEDIATION_CLIENT_CERTIFICATE_PASSWORD: optionalText,
  // Each Graph request of a fix (the re-read, the write, the check that it shows) gives up after this long.
  REMEDIATION_TIMEOUT_SECONDS: boundedInt("REMEDIATION_TIMEOUT_SECONDS", 30, 1, 120),
  // How long, after Graph accepted a write, the executor keeps reading until the change shows (Entra replicates writes).
  REMEDIATION_VERIFY_SECONDS: boundedInt("REMEDIATION_VERIFY_SECONDS", 60, 0, 600),
  // Four-eyes: a second person approves every fix before it runs. On unless switched off, for the whole estate.
  REMEDIATION_REQUIRE_APPROVAL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = (v ?? "").trim().toLowerCase();
      if (t === "" || t === "true") return true;
      if (t === "false") return false;
      ctx.addIssue({ code: "custom", message: `REMEDIATION_REQUIRE_APPROVAL must be true or false, got "${v}"` });
      return z.NEVER;
    }),
  // A pending request expires after this long unapproved: the approval is for the change as previewed.
  REMEDIATION_APPROVAL_HOURS: boundedInt("REMEDIATION_APPROVAL_HOURS", 24, 1, 168),
});

export type RemediationSettingName = Extract<keyof typeof remediationSchema.shape, `REMEDIATION_${string}`>;
// Object.keys types its result as string[]: the filter keeps exactly the names the type says.
export const REMEDIATION_SETTING_NAMES = Object.keys(remediationSchema.shape).filter((k) => k.startsWith("REMEDIATION_")) as readonly RemediationSettingName[];

export interface RemediationSettings {
  readonly graphEndpoint: string;
  /** The remediation app's credential (mode `secret` or `certificate`), never the monitoring app's. */
  readonly graphAuth: GraphAuthSettings;
  readonly timeoutMs: number;
  readonly verifyMs: number;
  /** Whether a second person must approve a fix (four-eyes). */
  readonly requireApproval: boolean;
  /** How long a pending request waits for its approval. */
  readonly approvalTtlMs: number;
}

/** The remediation app's settings, or undefined when it is not configured (remediation off). Throws SettingsError when half-configured. */
export function loadRemediationSettings(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): RemediationSettings | undefined {
  const parsed = remediationSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => i.message));
  const e = parsed.data;
  if (!e.REMEDIATION_CLIENT_ID) {
    const stray = [e.REMEDIATION_CLIENT_SECRET, e.REMEDIATION_CLIENT_CERTIFICATE_PATH].some((v) => v !== undefined);
    if (stray) throw new SettingsError(["REMEDIATION_CLIENT_SECRET or _CERTIFICATE_PATH is set without REMEDIATION_CLIENT_ID (the app's client id)"]);
    return undefined;
  }
  if (!e.REMEDIATION_CLIENT_SECRET && !e.REMEDIATION_CLIENT_CERTIFICATE_PATH) {
    throw new SettingsError(["REMEDIATION_CLIENT_ID needs REMEDIATION_CLIENT_SECRET or REMEDIATION_CLIENT_CERTIFICATE_PATH (the app's credential)"]);
  }
  registerSecrets([e.REMEDIATION_CLIENT_SECRET, e.REMEDIATION_CLIENT_CERTIFICATE_PASSWORD]);
  const certificate = e.REMEDIATION_CLIENT_CERTIFICATE_PATH !== undefined;
  return {
    graphEndpoint: e.GRAPH_ENDPOINT,
    graphAuth: {
      mode: certificate ? "certificate" : "secret",
      clientId: e.REMEDIATION_CLIENT_ID,
      ...(certificate
        ? { certificatePath: e.REMEDIATION_CLIENT_CERTIFICATE_PATH, certificatePassword: e.REMEDIATION_CLIENT_CERTIFICATE_PASSWORD }
        : { clientSecret: e.REMEDIATION_CLIENT_SECRET }),
      authorityHost: e.AZURE_AUTHORITY_HOST,
    },
    timeoutMs: e.REMEDIATION_TIMEOUT_SECONDS * 1000,
    verifyMs: e.REMEDIATION_VERIFY_SECONDS * 1000,
    requireApproval: e.REMEDIATION_REQUIRE_APPROVAL,
    approvalTtlMs: e.REMEDIATION_APPROVAL_HOURS * 3_600_000,
  };
}
