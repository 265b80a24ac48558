/** A second monitored account in a simulator tenant: a copy of the tenant's connection account (groups, roles, methods) under a new id and UPN. */
import { newAccountKey } from "../../lib/model/account.js";
import type { RegisteredTenantInput } from "../../lib/model/tenant.js";
import { sampleTenant, type RunningSimulator } from "../../sim/testing.js";

export const SECOND_ID = "d7f10100-0000-4000-8000-0000000002a1";

/** The second account's UPN in the sample tenant `name` (same domain as its first). */
export function secondUpn(name: string): string {
  return `svc-second@${sampleTenant(name).account.split("@")[1] ?? ""}`;
}

/** The key the store gives the second account (lib/model/account.ts): the first keeps "". */
export const secondKey = (name: string): string => newAccountKey(secondUpn(name));

export function addSecondAccount(sim: RunningSimulator, name: string): void {
  const sample = sampleTenant(name);
  const t = sim.state.tenant(sample.tenantId);
  const first = t.users.find((u) => u.userPrincipalName.toLowerCase() === sample.account.toLowerCase());
  if (!first) throw new Error(`no account ${sample.account}`);
  const id = SECOND_ID;
  t.users.push({ ...structuredClone(first), id, userPrincipalName: secondUpn(name), displayName: "Second connection" });
  for (const members of Object.values(t.groupMembers)) if (members.includes(first.id)) members.push(id);
  for (const a of [...t.roleAssignments]) if (a.principalId === first.id) t.roleAssignments.push({ ...a, id: `${String(a.id)}-2`, principalId: id });
  const methods = t.authenticationMethods[first.id];
  if (methods) t.authenticationMethods[id] = structuredClone(methods);
  const mfa = t.perUserMfa[first.id];
  if (mfa) t.perUserMfa[id] = mfa;
  const details = t.userRegistrationDetails[first.id];
  if (details) t.userRegistrationDetails[id] = { ...structuredClone(details), id, userPrincipalName: secondUpn(name) };
}

/** The sample tenant registered with its connection account and the second one. */
export function twoAccountInput(name: string): RegisteredTenantInput {
  const t = sampleTenant(name);
  return {
    tenantId: t.tenantId,
    displayName: t.displayName,
    recipients: ["ops@example.com"],
    accounts: [{ ref: t.account }, { ref: secondUpn(name) }],
  };
}
