/**
 * What an administrator does between two runs of the demo, done to the simulator's live data: the
 * same edits a person makes in the Entra admin center, so the second run sees drift appear and
 * disappear the way it would in a real tenant.
 */
import type { SimState } from "../../sim/state.js";
import type { JsonObject, JsonValue } from "../../sim/types.js";

interface DemoChange {
  /** The sample tenant's display name (or part of it). */
  readonly tenant: string;
  /** What the person did, for the demo's output. */
  readonly description: string;
  apply(state: SimState, tenantId: string): void;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function accountId(state: SimState, tenantId: string, upn: string): string {
  const user = state.tenant(tenantId).users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!user) throw new Error(`the simulator's tenant ${tenantId} has no user ${upn}`);
  return user.id;
}

/** Adds the account to "Exclude → Users" of every Conditional Access policy that targets users. */
export function excludeAccountFromPolicies(state: SimState, tenantId: string, upn: string): void {
  const id = accountId(state, tenantId, upn);
  for (const policy of state.tenant(tenantId).conditionalAccessPolicies) {
    const users = isObject(policy.conditions) ? policy.conditions.users : undefined;
    if (!isObject(users)) continue;
    const excluded = Array.isArray(users.excludeUsers) ? users.excludeUsers : [];
    if (!excluded.includes(id)) users.excludeUsers = [...excluded, id];
  }
}

export function setSecurityDefaults(state: SimState, tenantId: string, enabled: boolean): void {
  state.tenant(tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = enabled;
}

/** The demo's script: one drift fixed by exclusion, one fixed by a setting, one new drift. */
export function demoChanges(accountOf: (tenantId: string) => string): DemoChange[] {
  return [
    {
      tenant: "Fabrikam",
      description: "excluded the connection account from its Conditional Access policies",
      apply: (state, tenantId) => excludeAccountFromPolicies(state, tenantId, accountOf(tenantId)),
    },
    {
      tenant: "Litware",
      description: "turned Security Defaults off",
      apply: (state, tenantId) => setSecurityDefaults(state, tenantId, false),
    },
    {
      tenant: "Woodgrove",
      description: "turned Security Defaults on",
      apply: (state, tenantId) => setSecurityDefaults(state, tenantId, true),
    },
  ];
}
