/**
 * The fan-out: one tenant-checks message per enabled tenant, skipping a tenant whose previous
 * check is still queued or running (its lease is live). The lease is taken before the message is
 * sent, and given back if the send fails, so a tenant is never queued without a lease nor left
 * leased without a message for longer than one failed send.
 *
 * A Tenants row that does not parse is not scheduled and is reported in `failed` (so the timer
 * handler logs it and fails the invocation visibly); every other tenant is scheduled as usual.
 *
 * The lease taken here covers the wait in the queue; the check claims it again when it starts
 * (check.ts), so it also covers the run however long the backlog was.
 *
 * Sends run with bounded concurrency: thousands of tenants are thousands of small requests to
 * one storage account, which would rather see a steady stream than a burst.
 */
import pLimit from "p-limit";
import type { CheckReason } from "../queue/messages.js";
import type { App } from "./app.js";
import { errorMessage } from "../../lib/errors/text.js";

const SCHEDULE_CONCURRENCY = 16;

export interface ScheduleSummary {
  readonly enqueued: readonly string[];
  readonly inFlight: readonly { readonly tenantId: string; readonly until: string }[];
  readonly failed: readonly { readonly tenantId: string; readonly error: string }[];
  /** Registered tenants that are disabled (not checked). */
  readonly disabled: number;
}

type EnqueueResult =
  | { readonly queued: true; readonly leaseId: string; readonly leasedUntil: string; readonly messageId: string }
  | { readonly queued: false; readonly inFlightUntil: string };

type Queueing = Pick<App, "leases" | "queues" | "appSettings" | "leaseTime">;

/** Leases the tenant and queues its check; does nothing if a check is in flight. */
export async function enqueueCheck(app: Queueing, tenantId: string, reason: CheckReason): Promise<EnqueueResult> {
  const now = await app.leaseTime();
  const got = await app.leases.acquire(tenantId, now, app.appSettings.checkLeaseMinutes * 60_000, reason);
  if (!got.acquired) return { queued: false, inFlightUntil: got.heldUntil };
  try {
    const messageId = await app.queues.tenantChecks.send({ tenantId, enqueuedAt: now.toISOString(), reason, leaseId: got.lease.leaseId });
    return { queued: true, leaseId: got.lease.leaseId, leasedUntil: got.lease.leasedUntil, messageId };
  } catch (error) {
    // No message, so no check will release it: give the lease back for the next schedule.
    await app.leases.release(tenantId, got.lease.leaseId).catch(() => undefined);
    throw error;
  }
}

export async function enqueueScheduledChecks(app: Queueing & Pick<App, "store">, options: { concurrency?: number } = {}): Promise<ScheduleSummary> {
  const failed: { tenantId: string; error: string }[] = [];
  const tenants = await app.store.tenants.list({
    onInvalid: (row) =>
      failed.push({
        tenantId: row.tenantId,
        error: row.newer ? `not scheduled: ${row.error}` : `not scheduled: its Tenants row is unreadable (${row.error}); register it again`,
      }),
  });
  const enabled = tenants.filter((t) => t.enabled);
  const limit = pLimit(options.concurrency ?? SCHEDULE_CONCURRENCY);
  const enqueued: string[] = [];
  const inFlight: { tenantId: string; until: string }[] = [];
  await Promise.all(
    enabled.map((t) =>
      limit(async () => {
        try {
          const r = await enqueueCheck(app, t.tenantId, "schedule");
          if (r.queued) enqueued.push(t.tenantId);
          else inFlight.push({ tenantId: t.tenantId, until: r.inFlightUntil });
        } catch (error) {
          // One tenant's failure never holds up another: recorded, and the rest carry on.
          failed.push({ tenantId: t.tenantId, error: errorMessage(error) });
        }
      }),
    ),
  );
  const byId = (a: string, b: string) => a.localeCompare(b);
  return {
    enqueued: enqueued.sort(byId),
    inFlight: inFlight.sort((a, b) => byId(a.tenantId, b.tenantId)),
    failed: failed.sort((a, b) => byId(a.tenantId, b.tenantId)),
    disabled: tenants.length - enabled.length,
  };
}
