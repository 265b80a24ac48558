/**
 * Which of a tenant's monitored accounts an operator means: by its UPN, its object id or its key
 * (the dashboard's forms and the API's answers carry the key), or the tenant's first account when
 * none is named. Pure; a name that fits none is an error listing the accounts there are.
 */
import type { RegisteredTenant } from "../model/tenant.js";
import { parseMonitorPartition } from "../model/account.js";
import { ESTATE_SCOPE, type AuditEntry } from "../model/standing.js";

export function accountKeyOf(
  tenantId: string,
  tenant: Pick<RegisteredTenant, "accounts"> | undefined,
  named: string | undefined,
): { ok: true; key: string } | { ok: false; error: string } {
  const wanted = named?.trim().toLowerCase();
  if (!wanted) return { ok: true, key: tenant?.accounts[0]?.key ?? "" };
  const match = tenant?.accounts.find((a) => a.key === wanted || a.ref.toLowerCase() === wanted || a.objectId === wanted);
  if (match) return { ok: true, key: match.key };
  const known = tenant?.accounts.map((a) => a.ref).join(", ");
  const which = known ? `: its accounts are ${known}` : " (it is not registered)";
  return { ok: false, error: `tenant ${tenantId} has no monitored account "${named?.trim()}"${which}` };
}

/**
 * Who an account-scoped exception (or acknowledgement) covers, for people: the account's UPN, or its
 * key (`first` for the tenant's first) when it is no longer registered; null: every account.
 */
export function accountNameOf(tenant: Pick<RegisteredTenant, "accounts"> | undefined, accountKey: string | undefined): string | null {
  if (accountKey === undefined) return null;
  return tenant?.accounts.find((a) => a.key === accountKey)?.ref ?? `account ${accountKey === "" ? "first" : accountKey}`;
}

/**
 * The key of the account an audit entry is about: an acknowledgement's or a fix's (its own, or its
 * partition's), an exception's when it covers one account alone; undefined for an estate-wide entry
 * and an exception for every account.
 */
export function auditAccountKey(e: AuditEntry): string | undefined {
  const row = e.after ?? e.before;
  if (row === null || e.scope === ESTATE_SCOPE) return undefined;
  if ("plan" in row || "target" in row) return row.accountKey;
  return row.accountKey ?? parseMonitorPartition(row.tenantId).key;
}
