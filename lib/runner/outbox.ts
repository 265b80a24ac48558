/**
 * One outbox row per email: all of a tenant's transitions of one run. Its id is derived from the
 * tenant, the state version the run decided from, and the transition keys — so the same decision
 * taken twice (a redelivered queue message, a retried run) names the same row, and a create of
 * it a second time fails instead of queuing a second email.
 */
import { createHash } from "node:crypto";
import type { Report } from "../model/report.js";
import type { OutboxAlert, Transition } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";

function outboxId(tenantId: string, fromVersion: number, transitions: readonly Transition[]): string {
  const keys = transitions.map((t) => t.key).sort();
  return createHash("sha256")
    .update([tenantId, String(fromVersion), ...keys].join("\n"))
    .digest("hex")
    .slice(0, 32);
}

export function buildOutboxAlert(
  tenant: RegisteredTenant,
  fromVersion: number,
  transitions: readonly Transition[],
  report: Report,
  now: Date,
): OutboxAlert | undefined {
  if (transitions.length === 0) return undefined;
  return {
    schemaVersion: 3,
    id: outboxId(tenant.tenantId, fromVersion, transitions),
    tenantId: tenant.tenantId,
    tenantName: tenant.displayName,
    createdAt: now.toISOString(),
    stateVersion: fromVersion,
    recipients: [...tenant.recipients],
    tenantStatus: report.status,
    accountUserPrincipalName: report.account.userPrincipalName,
    transitions: [...transitions],
  };
}
