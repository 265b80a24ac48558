/**
 * The doctor's requests: one per fact of the collector's own registry (lib/graph/facts), built
 * with the definition's own URL builder, so the doctor asks exactly what a check asks. Each goes
 * alone (not in a $batch) so that every answer is attributable to one permission.
 */
import { factsReadBy } from "../../lib/checks/registry.js";
import { FACTS, FACT_KEYS, accountUrl, type FactRequestSpec } from "../../lib/graph/facts/index.js";

/**
 * Stands in for the account when none is given (or it does not exist): Graph checks the
 * permission before it looks the id up, so a 404 for this id still proves the permission.
 */
export const PLACEHOLDER_OBJECT_ID = "00000000-0000-0000-0000-000000000000";

/** Permissions the design lists that no check needs yet (What If is a cross-check). Not probed: read from the token's roles. */
export const OPTIONAL_PERMISSIONS: readonly { readonly permission: string; readonly reads: string }[] = [
  { permission: "Policy.Read.ConditionalAccess", reads: "What If evaluation (cross-check; the checks do not use it yet)" },
];

export interface Probe {
  readonly spec: FactRequestSpec;
  readonly url: string;
}

/** The account probe: by the ref the tenant registered, or the placeholder. */
export function accountProbe(accountRef: string | undefined): Probe {
  return { spec: FACTS.account, url: accountUrl(accountRef ?? PLACEHOLDER_OBJECT_ID) };
}

/** Every other fact's first request's first page (the sign-ins: their one request, both event types), for the account's object id (or the placeholder). */
export function factProbes(objectId: string, now: Date): Probe[] {
  // One hour of sign-ins is enough to prove the permission and keeps the answer small.
  const ctx = { objectId, signInsSince: new Date(now.getTime() - 3_600_000).toISOString() };
  return FACT_KEYS.filter((k) => k !== "account").map((k) => ({ spec: FACTS[k], url: FACTS[k].requests(ctx)[0].url }));
}

/**
 * Permissions the checks need, each once: the facts every registered check reads (lib/checks
 * registry), mapped to the permission each fact's request needs (lib/graph/facts registry). A new
 * check or fact changes this list without touching the doctor.
 */
export function requiredPermissions(): string[] {
  return [...new Set(factsReadBy().map((k) => FACTS[k].permission))];
}
