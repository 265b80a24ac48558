/**
 * The doctor's requests: one per fact of the collector's own registry (lib/graph/facts), built
 * with the definition's own URL builder, so the doctor asks exactly what a check asks. Each goes
 * alone (not in a $batch) so that every answer is attributable to one permission.
 */
import { FACTS, FACT_KEYS, accountUrl, type FactRequestSpec } from "../../lib/graph/facts/index.js";
import { WHAT_IF, whatIfBody } from "../../lib/graph/facts/what-if.js";

/**
 * Stands in for the account when none is given (or it does not exist): Graph checks the
 * permission before it looks the id up, so a 404 for this id still proves the permission.
 */
export const PLACEHOLDER_OBJECT_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Permissions no check fails without: the What If cross-check is `skipped` when it is
 * missing. Probed with one What If request (whatIfProbe); the token's roles, when it lists them, decide too.
 */
export const OPTIONAL_PERMISSIONS: readonly { readonly permission: string; readonly reads: string }[] = [
  { permission: WHAT_IF.permission, reads: "What If evaluation (the what-if cross-check; skipped without it)" },
];

/** The What If probe: the account (or the placeholder) signing in to Microsoft Graph from a desktop client. */
export function whatIfProbe(objectId: string): { readonly url: string; readonly body: Record<string, unknown> } {
  const context = {
    appId: null,
    appDisplayName: null,
    resourceId: "00000003-0000-0000-c000-000000000000",
    resourceDisplayName: null,
    clientAppUsed: "Mobile Apps and Desktop clients",
    ipAddress: null,
    country: null,
    operatingSystem: null,
    deviceRegistered: null,
    deviceCompliant: null,
    lastSeen: new Date(0).toISOString(),
  };
  return { url: WHAT_IF.url, body: whatIfBody(objectId, context) };
}

export interface Probe {
  readonly spec: FactRequestSpec;
  readonly url: string;
}

/** The account probe: by the ref the tenant registered, or the placeholder. */
export function accountProbe(accountRef: string | undefined): Probe {
  return { spec: FACTS.account, url: accountUrl(accountRef ?? PLACEHOLDER_OBJECT_ID) };
}

/** Every other fact's first request's first page (the sign-ins: their one request, both event types), for the account's object id (or the placeholder). */
export function factProbes(objectId: string, now: Date, appId?: string): Probe[] {
  // One hour of sign-ins is enough to prove the permission and keeps the answer small.
  const ctx = { objectId, signInsSince: new Date(now.getTime() - 3_600_000).toISOString(), ...(appId ? { appId } : {}) };
  return FACT_KEYS.filter((k) => k !== "account").map((k) => ({ spec: FACTS[k], url: FACTS[k].requests(ctx)[0].url }));
}

export { requiredPermissions } from "../../lib/graph/permissions.js";
