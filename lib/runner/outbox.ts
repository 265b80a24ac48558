/**
 * One outbox row per email: all of one account's transitions of one run. Its id is derived from
 * the tenant, the account's key (when it is not the first account's ""), the state version the
 * run decided from, and the transition keys — so the same decision taken twice (a redelivered
 * queue message, a retried run) names the same row, and a create of it a second time fails
 * instead of queuing a second email. The first account's ids are derived as they always were.
 */
import { createHash } from "node:crypto";
import type { Report } from "../model/report.js";
import type { OutboxAlert, Transition } from "../model/state.js";
import type { MonitoredAccount, RegisteredTenant } from "../model/tenant.js";

function outboxId(tenantId: string, accountKey: string, fromVersion: number, transitions: readonly Transition[]): string {
  const keys = transitions.map((t) => t.key).sort();
  const who = accountKey === "" ? [tenantId] : [tenantId, `account:${accountKey}`];
  return createHash("sha256")
    .update([...who, String(fromVersion), ...keys].join("\n"))
    .digest("hex")
    .slice(0, 32);
}

/** Which account of which tenant a run records: the account's key names its Monitor partition. */
export interface AccountTarget {
  readonly tenant: RegisteredTenant;
  readonly account: MonitoredAccount;
}

export function buildOutboxAlert(
  target: AccountTarget,
  fromVersion: number,
  transitions: readonly Transition[],
  report: Report,
  now: Date,
): OutboxAlert | undefined {
  if (transitions.length === 0) return undefined;
  const { tenant, account } = target;
  return {
    schemaVersion: 3,
    id: outboxId(tenant.tenantId, account.key, fromVersion, transitions),
    tenantId: tenant.tenantId,
    ...(account.key !== "" ? { accountKey: account.key } : {}),
    accountRef: account.ref,
    accountKind: account.kind,
    tenantAccounts: tenant.accounts.length,
    tenantName: tenant.displayName,
    createdAt: now.toISOString(),
    stateVersion: fromVersion,
    recipients: [...tenant.recipients],
    tenantStatus: report.status,
    accountUserPrincipalName: report.account.userPrincipalName,
    transitions: [...transitions],
  };
}
