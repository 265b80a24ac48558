/**
 * What a check that keeps failing is recorded as: a run in which nothing could be verified. The
 * design: "a tenant that throws is retried by the host and, once poisoned, recorded as unknown
 * with the reason". It goes through the runner's `record` — with this all-unknown inspection in
 * place of one read from Graph — so the state, the snapshot and the outbox are written by the
 * same transaction and the same diff as any run: consecutive unknown runs are counted, and
 * "monitoring degraded" is sent after UNKNOWN_ALERT_AFTER of them, not on the first failure.
 */
import { factRecord } from "../../lib/graph/facts/index.js";
import type { Fact, TenantFacts } from "../../lib/model/facts.js";
import { CHECK_IDS } from "../../lib/checks/registry.js";
import type { Report } from "../../lib/model/report.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import type { Inspection } from "../../lib/runner/index.js";
import { errorText } from "../../lib/errors/text.js";

/** Errors are kept for people; bounded so a long stack or HTML page cannot bloat the state. */
const MAX_REASON_CHARS = 500;

export function poisonedReason(error: unknown, attempts: number): string {
  const message = errorText(error);
  const oneLine = message.replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);
  return `the check failed ${attempts} time${attempts === 1 ? "" : "s"} in a row: ${oneLine}`;
}

function poisonedFacts(tenant: RegisteredTenant, reason: string, now: Date, signInLookbackHours: number): TenantFacts {
  const failed = { ok: false, code: "unavailable", reason } as const satisfies Fact<never>;
  return {
    tenantId: tenant.tenantId,
    collectedAt: now.toISOString(),
    accountRef: tenant.account,
    // Every fact the collector reads, from its registry: a fact added there is failed here too.
    ...factRecord(() => failed),
    signInLookbackHours,
  };
}

function poisonedReport(tenant: RegisteredTenant, reason: string, now: Date): Report {
  const upn = tenant.account.includes("@") ? tenant.account : null;
  return {
    schemaVersion: 1,
    tenantId: tenant.tenantId,
    checkedAt: now.toISOString(),
    profile: tenant.profile,
    account: { id: tenant.accountObjectId, userPrincipalName: upn },
    status: "unknown",
    warnings: 0,
    checks: CHECK_IDS.map((id) => ({ id, status: "unknown" as const, summary: "Could not be checked", reason })),
  };
}

/** The all-unknown inspection a poisoned run records: nothing was read, so no Graph client is built. */
export function poisonedInspection(tenant: RegisteredTenant, reason: string, now: Date, signInLookbackHours: number): Inspection {
  return { facts: poisonedFacts(tenant, reason, now, signInLookbackHours), report: poisonedReport(tenant, reason, now), roundTrips: 0 };
}
