/**
 * One tenant-checks message: load the tenant, run its check, queue the email the run decided,
 * release the check lease.
 *
 * Failure: a check that throws is thrown again, so the host retries the message (after the
 * visibility timeout). On the last attempt the host allows (dequeueCount = maxDequeueCount) the
 * failure is instead recorded as a run in which nothing could be verified (see poisoned.ts) and
 * the message completes: the tenant shows as unknown with the reason, and "monitoring degraded"
 * follows the usual UNKNOWN_ALERT_AFTER rule. Only if that recording fails too does the message
 * reach the poison queue, where checkTenantPoison records it again.
 */
import type { RegisteredTenant } from "../model/tenant.js";
import type { TenantCheckMessage } from "../queue/messages.js";
import { runTenantCheck, type RunOutcome } from "../runner/index.js";
import type { App } from "./app.js";
import { poisonedReason, poisonedRunnerDeps } from "./poisoned.js";

export interface CheckAttempt {
  /** This delivery of the message: 1 on the first. */
  readonly dequeueCount: number;
  /** host.json `maxDequeueCount`. */
  readonly maxDequeueCount: number;
}

export type CheckMessageResult =
  | {
      readonly kind: "checked";
      readonly tenantId: string;
      readonly status: RunOutcome["report"]["status"];
      readonly transitions: readonly string[];
      readonly alertId?: string;
      /** False when the alert row was written but its message could not be sent (the sweep delivers it). */
      readonly alertQueued: boolean;
    }
  | {
      readonly kind: "poisoned";
      readonly tenantId: string;
      readonly reason: string;
      readonly transitions: readonly string[];
      readonly alertId?: string;
      readonly alertQueued: boolean;
    }
  | { readonly kind: "skipped"; readonly tenantId: string; readonly why: string };

type CheckApp = Pick<App, "store" | "leases" | "queues" | "runnerDeps" | "recordingDeps">;

async function queueAlert(app: CheckApp, outcome: RunOutcome): Promise<boolean> {
  if (!outcome.alert) return false;
  try {
    await app.queues.alerts.send({ tenantId: outcome.tenantId, alertId: outcome.alert.id });
    return true;
  } catch {
    // The row is in the outbox already; the sweep finds it. Re-running the check for this would
    // not help: the alert is decided and stored.
    return false;
  }
}

/**
 * Gives the lease back. A failure to do so is not the check's failure (the run is recorded): the
 * lease then simply expires, and throwing would only make the host run the check again.
 */
async function release(app: CheckApp, message: TenantCheckMessage): Promise<void> {
  if (!message.leaseId) return;
  await app.leases.release(message.tenantId, message.leaseId).catch(() => false);
}

/** Records a check that failed for good as an all-unknown run (see poisoned.ts). */
export async function recordPoisoned(app: CheckApp, tenant: RegisteredTenant, reason: string): Promise<RunOutcome> {
  return runTenantCheck(tenant, poisonedRunnerDeps(app.recordingDeps(), tenant, reason));
}

export async function processCheckMessage(app: CheckApp, message: TenantCheckMessage, attempt: CheckAttempt): Promise<CheckMessageResult> {
  const tenant = await app.store.tenants.get(message.tenantId);
  if (!tenant) {
    await release(app, message);
    return { kind: "skipped", tenantId: message.tenantId, why: "the tenant is not registered (deleted since it was queued)" };
  }
  if (!tenant.enabled && message.reason === "schedule") {
    await release(app, message);
    return { kind: "skipped", tenantId: tenant.tenantId, why: "the tenant is disabled" };
  }

  let outcome: RunOutcome;
  try {
    outcome = await runTenantCheck(tenant, app.runnerDeps());
  } catch (error) {
    if (attempt.dequeueCount < attempt.maxDequeueCount) throw error;
    const reason = poisonedReason(error, attempt.dequeueCount);
    const recorded = await recordPoisoned(app, tenant, reason);
    const alertQueued = await queueAlert(app, recorded);
    await release(app, message);
    return {
      kind: "poisoned",
      tenantId: tenant.tenantId,
      reason,
      transitions: recorded.transitions.map((t) => t.kind),
      ...(recorded.alert ? { alertId: recorded.alert.id } : {}),
      alertQueued,
    };
  }
  const alertQueued = await queueAlert(app, outcome);
  await release(app, message);
  return {
    kind: "checked",
    tenantId: tenant.tenantId,
    status: outcome.report.status,
    transitions: outcome.transitions.map((t) => t.kind),
    ...(outcome.alert ? { alertId: outcome.alert.id } : {}),
    alertQueued,
  };
}

/**
 * A message the host gave up on (it reached `tenant-checks-poison`): every attempt died before
 * it could record anything (function timeout, crash, or the recording failed). Recorded as an
 * unknown run, unless the tenant is gone.
 */
export async function processPoisonedMessage(app: CheckApp, message: TenantCheckMessage, attempts: number): Promise<CheckMessageResult> {
  const tenant = await app.store.tenants.get(message.tenantId);
  if (!tenant) {
    await release(app, message);
    return { kind: "skipped", tenantId: message.tenantId, why: "the tenant is not registered" };
  }
  const reason = `the check did not complete in ${attempts} attempt${attempts === 1 ? "" : "s"} (timed out or the worker stopped)`;
  const recorded = await recordPoisoned(app, tenant, reason);
  const alertQueued = await queueAlert(app, recorded);
  await release(app, message);
  return {
    kind: "poisoned",
    tenantId: tenant.tenantId,
    reason,
    transitions: recorded.transitions.map((t) => t.kind),
    ...(recorded.alert ? { alertId: recorded.alert.id } : {}),
    alertQueued,
  };
}
