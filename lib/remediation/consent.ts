/**
 * Whether a tenant has consented the remediation app, and to what: the dashboard shows "Fix" only
 * where the write would be allowed. Decided from the app's own token in the tenant: Entra issues
 * an app-only token only where the app has a service principal (admin consent), and its `roles`
 * claim lists the application permissions granted there, so a token whose roles cover a fix's
 * permissions is the tenant's consent to that fix. A tenant that never consented answers the
 * token request with an error (AADSTS700016 / 65001): no consent, no button.
 *
 * The token is ours, fetched over TLS from the authority, so its claims are read, not verified.
 * Answers are kept `ttlMs` (default 5 minutes), both ways: a page load does not cost a token
 * request, and a consent granted or revoked shows within minutes.
 */
import type { GraphPermission } from "../graph/app-roles.js";
import type { TokenCredential } from "@azure/identity";
import type { RemediationSettings } from "../config/remediation.js";
import { createCredential } from "../graph/credentials.js";
import { tokenRoles } from "../graph/jwt.js";
import { GRAPH_SCOPE } from "../graph/client.js";
import { errorMessage } from "../errors/text.js";
import { redact } from "../errors/redact.js";
import type { RemediationKind } from "./plan.js";

export type Consent = { readonly granted: true; readonly roles: readonly string[] } | { readonly granted: false; readonly why: string };

/** The application permissions each fix needs, read and write (docs/remediation.md). */
const NEEDS: Readonly<Record<RemediationKind, readonly GraphPermission[]>> = {
  "ca-exclude-account": ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
  "per-user-mfa-disable": ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"],
  "campaign-exclude-account": ["Policy.ReadWrite.AuthenticationMethod"],
  "password-never-expires": ["User.ReadWrite.All"],
};

/** Every application permission the remediation app is consented to (`tenants consent --remediation`). */
export const REMEDIATION_PERMISSIONS: readonly GraphPermission[] = [...new Set(Object.values(NEEDS).flat())];

/** Whether the consent covers a fix of this kind. */
export function consentCovers(consent: Consent, kind: RemediationKind): boolean {
  return consent.granted && NEEDS[kind].every((p) => consent.roles.includes(p));
}

/** Whether the consent covers any fix at all (the app's write permissions, not only the reads every app may get). */
export function coversAnyFix(consent: Consent): boolean {
  return (Object.keys(NEEDS) as RemediationKind[]).some((kind) => consentCovers(consent, kind));
}

const PROBE_TIMEOUT_MS = 5_000;

export type ConsentProbe = (tenantId: string) => Promise<Consent>;

interface ProbeOptions {
  readonly now?: () => number;
  readonly ttlMs?: number;
  /** The remediation app's credential for a tenant (default: the process's credential cache). */
  readonly credential?: (tenantId: string) => TokenCredential;
}

export function consentProbe(settings: RemediationSettings, options: ProbeOptions = {}): ConsentProbe {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 5 * 60_000;
  // A fresh credential per probe, not the process's cached one: a token cached for the hour would
  // hide a consent granted or revoked meanwhile; a probe costs one token request per `ttlMs` per tenant viewed.
  const credential = options.credential ?? ((tenantId: string) => createCredential(tenantId, settings.graphAuth));
  const known = new Map<string, { readonly consent: Consent; readonly until: number }>();
  return async (tenantId) => {
    const key = tenantId.toLowerCase();
    const hit = known.get(key);
    if (hit && hit.until > now()) return hit.consent;
    let consent: Consent;
    try {
      // A page waits for this: a few seconds at most, not the write's timeout.
      const token = await credential(tenantId).getToken(GRAPH_SCOPE, { abortSignal: AbortSignal.timeout(Math.min(settings.timeoutMs, PROBE_TIMEOUT_MS)) });
      consent = token ? { granted: true, roles: tokenRoles(token.token) ?? [] } : { granted: false, why: "no token for the remediation app" };
    } catch (error) {
      consent = { granted: false, why: `the remediation app has no token in this tenant: ${redact(errorMessage(error)).slice(0, 300)}` };
    }
    known.set(key, { consent, until: now() + ttl });
    return consent;
  };
}
