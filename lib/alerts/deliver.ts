/**
 * Delivery of outbox rows: what the Functions queue trigger (one row) and the timer sweep (every
 * due row) call. Per row:
 *
 *   every channel already recorded? → mark sent (never dead-letter a delivered alert)
 *   sender in backoff? → leave the row (queue trigger) or wait it out (sweep, if short)
 *   claim (attempt counted, row leased) → render → each channel not yet done → record it at once
 *   → mark sent; on failure keep the error and the next attempt time; past ALERT_MAX_ATTEMPTS,
 *   or on a failure that repeating cannot fix, dead-letter.
 *
 * Throttling is not failure. A 429 (with or without Retry-After) gives the attempt back, pushes
 * the row's NextAttemptAt to what the service asked (or THROTTLE_WAIT_MS) and writes a shared
 * "throttled until" marker for that channel (`~delivery` partition of the Monitor table), which
 * every sender reads before sending: the queue trigger, which runs up to 24 rows at once per
 * instance, then sends nothing and leaves its row to the sweep; the sweep, one row at a time,
 * sleeps out a short wait and stops at a long one. So a burst of alerts against a sender that
 * takes about 5 a minute drains at the sender's pace instead of being dead-lettered.
 *
 * Never twice: a row is claimed with its ETag before anything is sent, so two senders cannot work
 * on it at once; every channel is idempotent per row (the ACS operation id, from the row id and
 * its requeue generation, and the `.eml` file name), so a sender that crashes after sending and
 * before recording it only causes a repeat the target folds into the first; and a channel is
 * recorded the moment it succeeds, so a recorded channel is skipped. The webhook has no
 * idempotency key: only a crash between its POST and that write re-posts it.
 *
 * Time is injected (`now`, `sleep`): a wait the service asks for that is short enough is slept
 * here; a longer one ends the sweep and leaves the row due at that time.
 */
import { ConcurrencyError, type DeliveryRow, type InvalidRow } from "../store/index.js";
import { mergeRecipients } from "./recipients.js";
import { operationIdFor } from "./ids.js";
import { renderAlert } from "./render/index.js";
import { ALERT_BACKOFF as DEFAULT_BACKOFF, backoffMs } from "../retry/backoff.js";
import { errorMessage } from "../errors/text.js";
import type { Channel, SendOutcome } from "./channels/types.js";
import type { DeliveryDeps, DeliveryEvent, DeliverySummary, RowOutcome } from "./delivery-types.js";

export type { DeliveryDeps, DeliveryEvent, DeliveryStore, DeliverySummary, RowOutcome } from "./delivery-types.js";

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_MAX_INLINE_WAIT_MS = 60_000;
const THROTTLE_WAIT_MS = 60_000;
const SWEEP_BUDGET_MS = 4 * 60_000;
/** Never hammer: even "Retry-After: 0" waits a second. */
const MIN_WAIT_MS = 1_000;

interface Attempt {
  readonly row: DeliveryRow;
  readonly failure?: Extract<SendOutcome, { ok: false }> & { readonly channel: string };
}

/** A logger that throws must not stop a delivery (nor come between a send and its record). */
function logger(deps: DeliveryDeps): (event: DeliveryEvent) => void {
  return (event) => {
    try {
      deps.log?.(event);
    } catch {
      // ignored: logging is not delivery
    }
  };
}

const pendingChannels = (deps: DeliveryDeps, row: DeliveryRow): Channel[] => deps.channels.filter((c) => !row.sentChannels.includes(c.name));

/** One attempt: every channel not yet done, in order, each recorded as soon as it succeeds; stops at the first failure. */
async function attempt(deps: DeliveryDeps, claimed: DeliveryRow): Promise<Attempt> {
  const log = logger(deps);
  const now = deps.now();
  const rendered = {
    ...renderAlert(claimed.alert, { now, dashboardUrl: deps.settings.dashboardUrl }),
    operationId: operationIdFor(claimed.alert.id, claimed.generation),
  };
  const to = mergeRecipients(claimed.alert.recipients, deps.settings.to);
  let row = claimed;
  for (const channel of pendingChannels(deps, row)) {
    const outcome = await channel.send({ rendered, from: deps.settings.from, to, date: new Date(claimed.alert.createdAt) });
    if (!outcome.ok) {
      log({ kind: "failed", tenantId: row.tenantId, id: row.alert.id, channel: channel.name, error: outcome.error, retryable: outcome.retryable });
      return { row, failure: { ...outcome, channel: channel.name } };
    }
    // Recorded before anything else happens: a webhook has no idempotency key, and a row whose
    // every channel is recorded is marked sent even if markSent itself fails now.
    row = await deps.store.recordChannelSent(row, channel.name);
    log({ kind: "sent", tenantId: row.tenantId, id: row.alert.id, channel: channel.name, detail: outcome.detail });
  }
  return { row };
}

/** The latest "throttled until" of the channels this row still needs, if in the future. */
async function backoffOf(deps: DeliveryDeps, row: DeliveryRow): Promise<{ channel: string; until: Date } | undefined> {
  if (!deps.throttle) return undefined;
  const now = deps.now().getTime();
  let worst: { channel: string; until: Date } | undefined;
  for (const channel of pendingChannels(deps, row)) {
    const until = await deps.throttle.throttledUntil(channel.name);
    if (until && until.getTime() > now && (!worst || until > worst.until)) worst = { channel: channel.name, until };
  }
  return worst;
}

/**
 * How a row is delivered: the sweep (one row at a time) sleeps short waits inline; the queue
 * trigger (many rows at once) never waits on throttling: it leaves the row due for the sweep.
 */
type Mode = "sweep" | "queue";

/**
 * Delivers one row, retrying inline while the waits are short. Returns what happened and, when
 * the sender asked for a wait too long to sleep here, that wait.
 */
async function deliverRow(deps: DeliveryDeps, initial: DeliveryRow, mode: Mode): Promise<{ outcome: RowOutcome; longWaitMs?: number }> {
  const base = { tenantId: initial.tenantId, id: initial.alert.id };
  const log = logger(deps);
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxInline = deps.maxInlineWaitMs ?? DEFAULT_MAX_INLINE_WAIT_MS;
  const random = deps.random ?? Math.random;
  let row = initial;
  /** Set after sleeping out the sender's backoff: send then, rather than read the marker again. */
  let waited = false;
  try {
    for (;;) {
      if (row.delivery !== "pending")
        return { outcome: { ...base, status: "skipped", reason: `already ${row.delivery === "sent" ? "sent" : "dead-lettered"}` } };
      if (pendingChannels(deps, row).length === 0) {
        // Every channel delivered and recorded; only markSent was lost (a crash, a storage blip).
        row = await deps.store.markSent(row, deps.now());
        return { outcome: { ...base, status: "sent", attempts: row.attempts } };
      }
      const backoff = waited ? undefined : await backoffOf(deps, row);
      waited = false;
      if (backoff) {
        const waitMs = backoff.until.getTime() - deps.now().getTime();
        if (mode === "queue" || waitMs > maxInline) {
          const reason = `${backoff.channel} throttled until ${backoff.until.toISOString()}; the sweep sends it after that`;
          return { outcome: { ...base, status: "skipped", reason }, longWaitMs: waitMs };
        }
        await deps.sleep(waitMs);
        waited = true;
        continue;
      }
      if (row.attempts >= deps.settings.maxAttempts) {
        // A sender died mid-attempt on its last try: nothing left to try.
        const error = row.lastError ?? `gave up after ${row.attempts} attempts`;
        await deps.store.deadLetter(row, deps.now(), error);
        log({ kind: "dead-lettered", ...base, error });
        return { outcome: { ...base, status: "dead-lettered", attempts: row.attempts, error } };
      }
      row = await deps.store.claim(row, deps.now(), leaseMs);
      const result = await attempt(deps, row);
      row = result.row;
      const now = deps.now();
      if (!result.failure) {
        row = await deps.store.markSent(row, now);
        return { outcome: { ...base, status: "sent", attempts: row.attempts } };
      }
      const error = `${result.failure.channel}: ${result.failure.error}`;
      if (result.failure.throttled) {
        // A wait, not a failure: the attempt is given back, and every sender is told to wait.
        const waitMs = Math.max(MIN_WAIT_MS, result.failure.retryAfterMs ?? deps.throttleWaitMs ?? THROTTLE_WAIT_MS);
        const nextAttemptAt = new Date(now.getTime() + waitMs);
        row = await deps.store.recordFailure(row, { error, nextAttemptAt, throttled: true });
        try {
          await deps.throttle?.recordThrottle(result.failure.channel, nextAttemptAt, error);
        } catch {
          // The row's own NextAttemptAt still holds it back; the marker only spares the others a 429.
        }
        if (mode === "queue" || waitMs > maxInline) {
          return { outcome: { ...base, status: "retrying", attempts: row.attempts, nextAttemptAt: nextAttemptAt.toISOString(), error }, longWaitMs: waitMs };
        }
        await deps.sleep(waitMs);
        continue;
      }
      if (!result.failure.retryable || row.attempts >= deps.settings.maxAttempts) {
        const why = result.failure.retryable ? `${error} (gave up after ${row.attempts} attempts)` : error;
        await deps.store.deadLetter(row, now, why);
        log({ kind: "dead-lettered", ...base, error: why });
        return { outcome: { ...base, status: "dead-lettered", attempts: row.attempts, error: why } };
      }
      const waitMs = Math.max(MIN_WAIT_MS, result.failure.retryAfterMs ?? backoffMs(row.attempts, random, deps.backoff ?? DEFAULT_BACKOFF));
      const nextAttemptAt = new Date(now.getTime() + waitMs);
      row = await deps.store.recordFailure(row, { error, nextAttemptAt });
      if (waitMs > maxInline) {
        const outcome: RowOutcome = { ...base, status: "retrying", attempts: row.attempts, nextAttemptAt: nextAttemptAt.toISOString(), error };
        // Only a wait the service asked for says anything about the next rows.
        return result.failure.retryAfterMs !== undefined ? { outcome, longWaitMs: waitMs } : { outcome };
      }
      await deps.sleep(waitMs);
    }
  } catch (error) {
    if (error instanceof ConcurrencyError) return { outcome: { ...base, status: "skipped", reason: "another sender updated it first" } };
    return { outcome: { ...base, status: "error", error: errorMessage(error) } };
  }
}

function summarise(outcomes: RowOutcome[], invalidRows: InvalidRow[], stoppedEarly?: string): DeliverySummary {
  const count = (s: RowOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    sent: count("sent"),
    retrying: count("retrying"),
    deadLettered: count("dead-lettered"),
    skipped: count("skipped"),
    errors: count("error"),
    invalidRows,
    ...(stoppedEarly ? { stoppedEarly } : {}),
  };
}

/**
 * Sends every due row (of every tenant, or of one), oldest first, one at a time: the sender
 * domain's rate limit is shared, so parallel sends would only meet 429s sooner. Stops early when
 * the sender asks for a long wait, or when it has run `sweepBudgetMs` (the rest is due next time).
 */
export async function deliverDue(deps: DeliveryDeps, options: { tenantId?: string; limit?: number } = {}): Promise<DeliverySummary> {
  if (deps.channels.length === 0) throw new Error("deliverDue: no delivery channel configured");
  const invalidRows: InvalidRow[] = [];
  const due = await deps.store.listDue(deps.now(), {
    ...options,
    onInvalid: (r) => {
      invalidRows.push(r);
      deps.log?.({ kind: "invalid-row", tenantId: r.tenantId, id: r.rowKey, error: r.error });
    },
  });
  const outcomes: RowOutcome[] = [];
  const started = deps.now().getTime();
  const budget = deps.sweepBudgetMs ?? SWEEP_BUDGET_MS;
  for (const [i, row] of due.entries()) {
    if (i > 0 && deps.now().getTime() - started >= budget) {
      return summarise(outcomes, invalidRows, `time budget of ${Math.round(budget / 1000)} s used; ${due.length - i} rows left for the next sweep`);
    }
    const { outcome, longWaitMs } = await deliverRow(deps, row, "sweep");
    outcomes.push(outcome);
    if (longWaitMs !== undefined && i < due.length - 1) {
      return summarise(
        outcomes,
        invalidRows,
        `throttled: asked to wait ${Math.round(longWaitMs / 1000)} s; ${due.length - i - 1} rows left for the next sweep`,
      );
    }
  }
  return summarise(outcomes, invalidRows);
}

/**
 * Delivers one row by id (the queue trigger's message). A row not yet due (backing off, leased) is
 * left alone, and so is every row while its sender is throttled: the sweep sends it then.
 */
export async function deliverAlert(deps: DeliveryDeps, tenantId: string, id: string): Promise<RowOutcome> {
  if (deps.channels.length === 0) throw new Error("deliverAlert: no delivery channel configured");
  let row: DeliveryRow | undefined;
  try {
    row = await deps.store.get(tenantId, id);
  } catch (error) {
    return { status: "error", tenantId, id, error: errorMessage(error) };
  }
  if (!row) return { status: "skipped", tenantId, id, reason: "no such alert" };
  if (row.delivery === "pending" && row.nextAttemptAt !== null && Date.parse(row.nextAttemptAt) > deps.now().getTime()) {
    return { status: "skipped", tenantId, id, reason: `not due until ${row.nextAttemptAt}` };
  }
  return (await deliverRow(deps, row, "queue")).outcome;
}
