/**
 * The doctor's requests: the design's Graph table, taken from the collector's own FACT_SPECS and
 * factUrl so the doctor asks exactly what a check asks. Each goes alone (not in a $batch) so that
 * every answer is attributable to one permission.
 */
import { FACT_SPECS, accountUrl, factUrl, type FactKey, type FactRequestSpec } from "../graph/requests.js";

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

export const READS: Readonly<Record<FactKey, string>> = {
  account: "the account",
  membership: "the account's groups and active roles",
  roleAssignments: "direct role assignments",
  roleEligibility: "PIM-eligible roles",
  conditionalAccessPolicies: "the Conditional Access policies",
  securityDefaults: "Security Defaults",
  perUserMfa: "per-user MFA (beta)",
  authMethods: "registered authentication methods",
  registrationDetails: "the MFA registration report",
  registrationCampaign: "the registration campaign",
  signIns: "sign-ins (beta)",
};

/** The account probe: by the ref the tenant registered, or the placeholder. */
export function accountProbe(accountRef: string | undefined): Probe {
  return { spec: FACT_SPECS.account, url: accountUrl(accountRef ?? PLACEHOLDER_OBJECT_ID) };
}

/** Every other fact's first page, for the account's object id (or the placeholder). */
export function factProbes(objectId: string, now: Date): Probe[] {
  // One hour of sign-ins is enough to prove the permission and keeps the answer small.
  const ctx = { objectId, signInsSince: new Date(now.getTime() - 3_600_000).toISOString() };
  return (Object.keys(FACT_SPECS) as FactKey[]).filter((k) => k !== "account").map((k) => ({ spec: FACT_SPECS[k], url: factUrl(k, ctx) }));
}

/** Permissions the checks need, in the table's order, each once. */
export function requiredPermissions(): string[] {
  return [...new Set(Object.values(FACT_SPECS).map((s) => s.permission))];
}
