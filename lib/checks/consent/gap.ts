/**
 * The pure comparison behind the consent check: the permissions the checks need against the ones
 * the app holds in the tenant. The grants, when they could be read, say it all; a fact Graph
 * refused with a 403 names its permission too (a grant revoked since the grants were read, or
 * grants unreadable because Application.Read.All itself is what is missing).
 */
import type { TenantFacts } from "../../model/index.js";

export interface ConsentGap {
  /** Required permissions the tenant has not granted, in the required list's order. */
  readonly missing: readonly string[];
  /** False when the grants could not be read: `missing` is then only what the 403s named. */
  readonly complete: boolean;
}

/** The permissions the facts' 403s name (each fact carries the permission its request needs). */
export function refusedPermissions(facts: TenantFacts): Set<string> {
  const named = new Set<string>();
  for (const value of Object.values(facts)) {
    if (typeof value !== "object" || value === null || !("ok" in value) || value.ok !== false) continue;
    if ("code" in value && value.code === "forbidden" && "permission" in value && typeof value.permission === "string") named.add(value.permission);
  }
  return named;
}

/** What is missing of `required`, or null when there is nothing to compare against. */
export function consentGap(facts: TenantFacts): ConsentGap | null {
  const required = facts.requiredPermissions;
  if (!required) return null;
  const refused = refusedPermissions(facts);
  const grants = facts.appPermissions;
  const granted = grants.ok ? new Set(grants.value.granted) : undefined;
  const missing = required.filter((p) => refused.has(p) || (granted !== undefined && !granted.has(p)));
  return { missing, complete: granted !== undefined };
}
