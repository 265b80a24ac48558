/**
 * The pure comparison behind the consent check: the permissions the checks need against the ones
 * the app holds in the tenant. When the grants cannot be read because Application.Read.All (what
 * reads them) is itself not granted, that one is known missing and the rest are not known: the
 * checks that need them still say `skipped`, naming the permission their 403 named.
 */
import type { CheckResult, TenantFacts } from "../../model/index.js";

/** How the consent check's evidence names a missing permission: what the estate views read back. */
export const MISSING = "missing ";

/** How its evidence names the required set it compared with (sorted): what tells a report compared with this version's set. */
export const REQUIRED = "required: ";

/** The required set a stored consent result was compared with, as its evidence says (sorted, joined); null when it did not compare. */
export function comparedWith(result: Pick<CheckResult, "evidence"> | undefined): string | null {
  const line = (result?.evidence ?? []).find((e) => e.startsWith(REQUIRED));
  return line === undefined ? null : line.slice(REQUIRED.length);
}

/** The permissions a stored consent result names as missing (none when it passed or could not compare). */
export function missingIn(result: Pick<CheckResult, "status" | "evidence"> | undefined): string[] {
  if (result?.status !== "warn") return [];
  return (result.evidence ?? []).filter((e) => e.startsWith(MISSING)).map((e) => e.slice(MISSING.length));
}

interface ConsentGap {
  /** Required permissions the tenant has not granted, in the required list's order. */
  readonly missing: readonly string[];
  /** False when the grants could not be read: `missing` is then only the permission reading them needs. */
  readonly complete: boolean;
}

/** What is missing of the required set, or null when there is nothing to compare against. */
export function consentGap(facts: Pick<TenantFacts, "requiredPermissions" | "appPermissions">): ConsentGap | null {
  const required = facts.requiredPermissions;
  if (!required) return null;
  const grants = facts.appPermissions;
  if (grants.ok) {
    const granted = new Set(grants.value.granted);
    return { missing: required.filter((p) => !granted.has(p)), complete: true };
  }
  const refused = grants.code === "forbidden" && grants.permission !== undefined && required.includes(grants.permission);
  return { missing: refused && grants.permission ? [grants.permission] : [], complete: false };
}
