/**
 * The all-unknown inspection of one account: recorded when nothing of it could be verified — a
 * check that kept failing (functions/app/poisoned.ts), or an account registered with a profile
 * that does not exist. It goes through `record` like any run, so the unknown streak is counted and
 * "monitoring degraded" follows the usual rule; the reason is in every check's result.
 */
import { factRecord } from "../graph/facts/index.js";
import type { Fact, TenantFacts } from "../model/facts.js";
import { CHECK_IDS } from "../checks/registry.js";
import type { Report } from "../model/report.js";
import type { Inspection } from "./inspect.js";
import type { AccountTarget } from "./outbox.js";

function unknownFacts({ tenant, account }: AccountTarget, reason: string, now: Date, signInLookbackHours: number): TenantFacts {
  const failed = { ok: false, code: "unavailable", reason } as const satisfies Fact<never>;
  return {
    tenantId: tenant.tenantId,
    collectedAt: now.toISOString(),
    accountRef: account.ref,
    // Every fact the collector reads, from its registry: a fact added there is failed here too.
    ...factRecord(() => failed),
    signInLookbackHours,
  };
}

/** An all-unknown report of the account; `checks`: the results to list (none for a late first run, which judged nothing). */
export function unknownReport({ tenant, account }: AccountTarget, now: Date, checks: Report["checks"]): Report {
  return {
    schemaVersion: 1,
    tenantId: tenant.tenantId,
    checkedAt: now.toISOString(),
    profile: account.profile,
    account: { id: account.objectId, userPrincipalName: account.ref.includes("@") ? account.ref : null },
    status: "unknown",
    warnings: 0,
    checks,
  };
}

const unknownChecks = (reason: string): Report["checks"] =>
  CHECK_IDS.map((id) => ({ id, status: "unknown" as const, summary: "Could not be checked", reason }));

/** Nothing was read, so no Graph client is built. */
export function unknownInspection(target: AccountTarget, reason: string, now: Date, signInLookbackHours: number): Inspection {
  return { facts: unknownFacts(target, reason, now, signInLookbackHours), report: unknownReport(target, now, unknownChecks(reason)), roundTrips: 0 };
}
