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
 *
 * Leases: the check claims its tenant's lease when it starts (lease.ts `claim`), so the lease
 * covers the run rather than only the wait in the queue. A message whose tenant is leased to
 * another live check (a newer message queued after this one's lease ran out in the backlog) is
 * skipped as a duplicate instead of racing it.
 *
 * Unreadable rows: a Tenants row that does not parse skips the message (retrying cannot fix it;
 * the scheduler reports the row). A `state` row that does not parse fails the check at once — no
 * retries — and is recorded like a poisoned check: the row is moved aside (`quarantineState`) and
 * the run records unknown with the reason, raising "monitoring degraded" at once, since the
 * unknown streak before it was lost with the row. A `state` row written by a newer version of Drift
 * Monitor is neither: the message is skipped with NewerSchemaError's message and the row left as it
 * is, for that version to read (a rollback or an instance not yet upgraded must not overwrite it).
 */
import { createHash } from "node:crypto";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import type { TenantCheckMessage } from "../queue/messages.js";
import {
  record,
  runTenantCheck,
  tenantOutcome,
  unknownInspection,
  type AccountOutcome,
  type AccountTarget,
  type RunOptions,
  type RunOutcome,
} from "../../lib/runner/index.js";
import { monitorPartition } from "../../lib/model/account.js";
import { CorruptStateError, UnreadableTenantError } from "../../lib/store/index.js";
import { NewerSchemaError } from "../../lib/model/versioned.js";
import type { App } from "./app.js";
import { poisonedReason } from "./poisoned.js";

interface CheckAttempt {
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
      /** The first outbox row written (a one-account tenant writes one at most). */
      readonly alertId?: string;
      /** Every outbox row written, one per account at most. */
      readonly alerts: readonly QueuedAlert[];
      /** False when an alert row was written but its message could not be sent (the sweep delivers it). */
      readonly alertQueued: boolean;
    }
  | {
      readonly kind: "poisoned";
      readonly tenantId: string;
      readonly reason: string;
      readonly transitions: readonly string[];
      readonly alertId?: string;
      readonly alerts: readonly QueuedAlert[];
      readonly alertQueued: boolean;
    }
  | {
      /** Graph throttled the check through every retry (or no budget in time): carried to the next run, not unknown. */
      readonly kind: "late";
      readonly tenantId: string;
      readonly reason: string;
      readonly transitions: readonly string[];
      readonly alertId?: string;
      readonly alerts: readonly QueuedAlert[];
      readonly alertQueued: boolean;
    }
  | { readonly kind: "skipped"; readonly tenantId: string; readonly why: string };

/** An outbox row a check wrote: its account's key names its Monitor partition. */
interface QueuedAlert {
  readonly accountKey: string;
  readonly id: string;
}

type CheckApp = Pick<App, "store" | "leases" | "queues" | "runnerDeps" | "recordingDeps" | "appSettings" | "now" | "leaseTime">;

/** Reasons are kept for people; bounded so they cannot bloat the state. */
const MAX_REASON_CHARS = 1000;

/**
 * The lease a message's check holds: the one the scheduler took for it, or — for a message
 * queued without one — an id derived from the message, so its redeliveries (retries) are the
 * same holder and are not mistaken for a duplicate of themselves.
 */
function leaseIdOf(message: TenantCheckMessage): string {
  if (message.leaseId) return message.leaseId;
  const digest = createHash("sha256").update(`${message.tenantId}|${message.enqueuedAt}|${message.reason}`).digest("hex");
  return `message-${digest.slice(0, 32)}`;
}

/**
 * The run a message asks for: its lease id names it (a redelivery is the same run, and is skipped
 * once recorded), and a scheduled message's enqueue time is its schedule period, so the unknown
 * streak behind "monitoring degraded" counts periods, not deliveries; a check now starts a streak
 * but does not lengthen one.
 */
function runOf(message: TenantCheckMessage): RunOptions {
  return { runId: leaseIdOf(message), period: message.reason === "schedule" ? message.enqueuedAt : null };
}

/** The registered tenant, or why the message is skipped (gone, or its row is unreadable). */
async function loadTenant(app: CheckApp, tenantId: string, gone: string): Promise<{ tenant: RegisteredTenant } | { why: string }> {
  try {
    const tenant = await app.store.tenants.get(tenantId);
    return tenant ? { tenant } : { why: gone };
  } catch (error) {
    if (error instanceof UnreadableTenantError)
      return { why: `the tenant's registration is unreadable (${error.detail}): register it again (PUT /api/tenants/{id} or \`drift-monitor tenants add\`)` };
    if (error instanceof NewerSchemaError) return { why: error.message };
    throw error;
  }
}

/** Queues every alert the run wrote; true when each message was sent. */
async function queueAlerts(app: CheckApp, outcome: RunOutcome): Promise<boolean> {
  if (outcome.alerts.length === 0) return false;
  let all = true;
  for (const alert of outcome.alerts) {
    const accountKey = alert.accountKey ?? "";
    try {
      await app.queues.alerts.send({ tenantId: outcome.tenantId, ...(accountKey !== "" ? { accountKey } : {}), alertId: alert.id });
    } catch {
      // The row is in the outbox already; the sweep finds it. Re-running the check for this would
      // not help: the alert is decided and stored.
      all = false;
    }
  }
  return all;
}

/** The alerts fields of a result. */
function alertsOf(outcome: RunOutcome, alertQueued: boolean): Pick<Extract<CheckMessageResult, { kind: "checked" }>, "alertId" | "alerts" | "alertQueued"> {
  const alerts = outcome.alerts.map((a) => ({ accountKey: a.accountKey ?? "", id: a.id }));
  return { ...(alerts[0] ? { alertId: alerts[0].id } : {}), alerts, alertQueued };
}

/**
 * Gives the lease back. A failure to do so is not the check's failure (the run is recorded): the
 * lease then simply expires, and throwing would only make the host run the check again.
 */
async function release(app: CheckApp, message: TenantCheckMessage): Promise<void> {
  await app.leases.release(message.tenantId, leaseIdOf(message)).catch(() => false);
}

/**
 * Records a check that failed for good as an all-unknown run (see poisoned.ts). A `state` row
 * that does not parse (CorruptStateError) would make that recording fail too, so it is moved
 * aside first and the recording repeated on a fresh state; the reason says so, and "monitoring
 * degraded" is raised by this very run.
 */
async function recordPoisoned(app: CheckApp, tenant: RegisteredTenant, reason: string, run: RunOptions = {}): Promise<RunOutcome> {
  const outcomes: AccountOutcome[] = [];
  for (const account of tenant.accounts) outcomes.push(await recordPoisonedAccount(app, { tenant, account }, reason, run));
  return tenantOutcome(tenant.tenantId, outcomes, 0);
}

/** One account's unknown run; an account that already recorded this run (a repeat) is left as it is. */
async function recordPoisonedAccount(app: CheckApp, target: AccountTarget, reason: string, run: RunOptions): Promise<AccountOutcome> {
  let deps = app.recordingDeps();
  let why = reason;
  for (let attempt = 1; ; attempt++) {
    try {
      const now = deps.now();
      const inspection = unknownInspection(target, why.slice(0, MAX_REASON_CHARS), now, deps.settings.signInLookbackHours);
      return await record(target, inspection, deps, { now, ...run });
    } catch (error) {
      if (!(error instanceof CorruptStateError) || attempt >= 3) throw error;
      const partition = monitorPartition(target.tenant.tenantId, target.account.key);
      const moved = await app.store.monitor.quarantineState(partition, error.etag, deps.now(), error.detail);
      // undefined: another run moved or replaced the row meanwhile; read it again.
      if (moved !== undefined) {
        why = `${reason}; the stored state was unreadable (${error.detail}) and was moved aside to ${moved}, so monitoring history starts over`;
        deps = { ...deps, settings: { ...deps.settings, unknownAlertAfter: 1 } };
      }
    }
  }
}

export async function processCheckMessage(app: CheckApp, message: TenantCheckMessage, attempt: CheckAttempt): Promise<CheckMessageResult> {
  const found = await loadTenant(app, message.tenantId, "the tenant is not registered (deleted since it was queued)");
  if (!("tenant" in found)) {
    await release(app, message);
    return { kind: "skipped", tenantId: message.tenantId, why: found.why };
  }
  const { tenant } = found;
  if (!tenant.enabled && message.reason === "schedule") {
    await release(app, message);
    return { kind: "skipped", tenantId: tenant.tenantId, why: "the tenant is disabled" };
  }

  // The lease must cover the run, not only the wait in the queue: claim it afresh now.
  const claim = await app.leases.claim(tenant.tenantId, leaseIdOf(message), await app.leaseTime(), app.appSettings.checkLeaseMinutes * 60_000, message.reason);
  if (!claim.claimed) {
    return {
      kind: "skipped",
      tenantId: tenant.tenantId,
      why: `a duplicate: another check of the tenant is queued or running (lease until ${claim.heldUntil})`,
    };
  }

  let outcome: RunOutcome;
  try {
    outcome = await runTenantCheck(tenant, app.runnerDeps(), runOf(message));
  } catch (error) {
    if (error instanceof NewerSchemaError) return refuseNewer(app, message, error);
    const corrupt = error instanceof CorruptStateError;
    // Retrying cannot repair an unreadable state row: record it now (moving the row aside).
    if (!corrupt && attempt.dequeueCount < attempt.maxDequeueCount) throw error;
    const reason = corrupt ? "the check could not read the account's stored state" : poisonedReason(error, attempt.dequeueCount);
    return recordPoisonedRun(app, tenant, message, reason);
  }
  if (outcome.repeated) {
    await release(app, message);
    return { kind: "skipped", tenantId: tenant.tenantId, why: "a repeat: this message's check is already recorded" };
  }
  const alertQueued = await queueAlerts(app, outcome);
  await release(app, message);
  if (outcome.late !== undefined) {
    const transitions = outcome.transitions.map((t) => t.kind);
    return { kind: "late", tenantId: tenant.tenantId, reason: outcome.late, transitions, ...alertsOf(outcome, alertQueued) };
  }
  return {
    kind: "checked",
    tenantId: tenant.tenantId,
    status: outcome.status,
    transitions: outcome.transitions.map((t) => t.kind),
    ...alertsOf(outcome, alertQueued),
  };
}

/**
 * A message the host gave up on (it reached `tenant-checks-poison`): every attempt died before
 * it could record anything (function timeout, crash, or the recording failed). Recorded as an
 * unknown run, unless the tenant is gone.
 */
export async function processPoisonedMessage(app: CheckApp, message: TenantCheckMessage, attempts: number): Promise<CheckMessageResult> {
  const found = await loadTenant(app, message.tenantId, "the tenant is not registered");
  if (!("tenant" in found)) {
    await release(app, message);
    return { kind: "skipped", tenantId: message.tenantId, why: found.why };
  }
  const { tenant } = found;
  const reason = `the check did not complete in ${attempts} attempt${attempts === 1 ? "" : "s"} (timed out or the worker stopped)`;
  return recordPoisonedRun(app, tenant, message, reason);
}

/** A state row of a newer schema: nothing is recorded over it (see the file comment). */
async function refuseNewer(app: CheckApp, message: TenantCheckMessage, error: NewerSchemaError): Promise<CheckMessageResult> {
  await release(app, message);
  return { kind: "skipped", tenantId: message.tenantId, why: error.message };
}

/** Records the tenant as unknown with the reason (the normal drift path), queues its alert, frees the lease. */
async function recordPoisonedRun(app: CheckApp, tenant: RegisteredTenant, message: TenantCheckMessage, reason: string): Promise<CheckMessageResult> {
  let recorded: RunOutcome;
  try {
    recorded = await recordPoisoned(app, tenant, reason, runOf(message));
  } catch (error) {
    if (error instanceof NewerSchemaError) return refuseNewer(app, message, error);
    throw error;
  }
  const alertQueued = await queueAlerts(app, recorded);
  await release(app, message);
  return {
    kind: "poisoned",
    tenantId: tenant.tenantId,
    reason,
    transitions: recorded.transitions.map((t) => t.kind),
    ...alertsOf(recorded, alertQueued),
  };
}
