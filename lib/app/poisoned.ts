/**
 * What a check that keeps failing is recorded as: a run in which nothing could be verified. The
 * design: "a tenant that throws is retried by the host and, once poisoned, recorded as unknown
 * with the reason". It goes through runTenantCheck itself — with the collector and the rules
 * replaced by this all-unknown result — so the state, the snapshot and the outbox are written by
 * the same transaction and the same diff as any run: consecutive unknown runs are counted, and
 * "monitoring degraded" is sent after UNKNOWN_ALERT_AFTER of them, not on the first failure.
 */
import { Client } from "@microsoft/microsoft-graph-client";
import { DEFAULT_PROFILE_NAME, getProfile } from "../checks/index.js";
import type { Fact, TenantFacts } from "../model/facts.js";
import { CHECK_IDS, type Report } from "../model/report.js";
import type { RegisteredTenant } from "../model/tenant.js";
import type { RunnerDeps } from "../runner/index.js";
import { errorText } from "../errors/text.js";

/** Errors are kept for people; bounded so a long stack or HTML page cannot bloat the state. */
const MAX_REASON_CHARS = 500;

export function poisonedReason(error: unknown, attempts: number): string {
  const message = errorText(error);
  const oneLine = message.replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);
  return `the check failed ${attempts} time${attempts === 1 ? "" : "s"} in a row: ${oneLine}`;
}

export function poisonedFacts(tenant: RegisteredTenant, reason: string, now: Date, signInLookbackHours: number): TenantFacts {
  const failed = { ok: false, code: "unavailable", reason } as const satisfies Fact<never>;
  return {
    tenantId: tenant.tenantId,
    collectedAt: now.toISOString(),
    accountRef: tenant.account,
    account: failed,
    membership: failed,
    roleAssignments: failed,
    roleEligibility: failed,
    conditionalAccessPolicies: failed,
    securityDefaults: failed,
    perUserMfa: failed,
    authMethods: failed,
    registrationDetails: failed,
    registrationCampaign: failed,
    signIns: failed,
    signInLookbackHours,
  };
}

export function poisonedReport(tenant: RegisteredTenant, reason: string, now: Date): Report {
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

/** A Graph client that is never called: the poisoned run reads nothing. */
const unusedGraphClient = (): Client =>
  Client.init({ authProvider: (done) => done(new Error("a poisoned check does not call Graph"), null) });

/**
 * Runner deps that record `reason` as the run's result. `base` supplies the store, the clock and
 * the monitoring settings; nothing here needs a Graph credential, so a tenant poisoned because
 * the credential is missing is still recorded.
 */
export function poisonedRunnerDeps(base: Pick<RunnerDeps, "store" | "now" | "settings">, tenant: RegisteredTenant, reason: string): RunnerDeps {
  return {
    store: base.store,
    now: base.now,
    settings: base.settings,
    graphClient: unusedGraphClient,
    collect: async (_client, _target, options) => ({ facts: poisonedFacts(tenant, reason, options.now, options.signInLookbackHours), roundTrips: 0 }),
    evaluate: (facts) => poisonedReport(tenant, reason, new Date(facts.collectedAt)),
    // The failure may be the profile itself (renamed or removed): record it under the default.
    getProfile: (name) => getProfile(name) ?? getProfile(DEFAULT_PROFILE_NAME),
  };
}
