/**
 * Delivery of outbox rows: what the Functions queue trigger (one row) and the timer sweep (every
 * due row) call. Per row:
 *
 *   every channel sent or dead? → mark sent (none dead) or dead-letter (never lose a delivered one)
 *   sender in backoff? → leave the row (queue trigger) or wait it out (sweep, if short)
 *   claim (attempt counted, row leased) → render → EACH channel not yet done, on its own: a success
 *   recorded at once (SentChannels), a failure repeating cannot fix dead-letters that channel at
 *   once (DeadChannels), and the next channel is tried either way → then the row is done, or keeps
 *   the errors and the next attempt time; past ALERT_MAX_ATTEMPTS the channels still failing are
 *   dead-lettered with the row. A failing email never silences the webhook, nor the other way round.
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
 * on it at once; every channel is idempotent per row and requeue generation (the ACS operation id,
 * the `.eml` file name, the webhook's `Idempotency-Key` header and the id in its payload, for the
 * receiver to fold), and a channel is recorded the moment it succeeds, so a recorded channel is
 * skipped. Only a sender dying between a webhook POST and that write re-posts it (after the claim).
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
import type { SendOutcome } from "./channels/types.js";
import type { DeliveryDeps, DeliverySummary, RowOutcome } from "./delivery-types.js";
import { channelStates, DEFAULT_LEASE_MS, logger, pendingChannels } from "./delivery-rows.js";

export type { DeliveryDeps, DeliveryEvent, DeliveryStore, DeliverySummary, RowOutcome } from "./delivery-types.js";

const DEFAULT_MAX_INLINE_WAIT_MS = 60_000;
const THROTTLE_WAIT_MS = 60_000;
const SWEEP_BUDGET_MS = 4 * 60_000;
/** Never hammer: even "Retry-After: 0" waits a second. */
const MIN_WAIT_MS = 1_000;

type Failure = Extract<SendOutcome, { ok: false }> & { readonly channel: string };

interface Attempt {
  readonly row: DeliveryRow;
  /** The channels that failed this time and may be tried again (a failure repeating cannot fix is recorded dead at once). */
  readonly failures: readonly Failure[];
}

/**
 * One attempt: every channel not yet done, in order, each on its own: a success is recorded at
 * once, a failure repeating cannot fix dead-letters that channel at once, and either way the next
 * channel is tried (a failing email must not silence the webhook, nor the other way round).
 */
async function attempt(deps: DeliveryDeps, claimed: DeliveryRow): Promise<Attempt> {
  const log = logger(deps);
  const now = deps.now();
  const rendered = {
    ...renderAlert(claimed.alert, { now, dashboardUrl: deps.settings.dashboardUrl }),
    operationId: operationIdFor(claimed.alert.id, claimed.generation),
    generation: claimed.generation,
  };
  const to = mergeRecipients(claimed.alert.recipients, deps.settings.to);
  let row = claimed;
  const failures: Failure[] = [];
  for (const channel of pendingChannels(deps, row)) {
    const outcome = await channel.send({ rendered, from: deps.settings.from, to, date: new Date(claimed.alert.createdAt) });
    const base = { tenantId: row.tenantId, id: row.alert.id, channel: channel.name };
    if (outcome.ok) {
      // Recorded before anything else happens: a row whose every channel is recorded is marked
      // sent even if markSent itself fails now, and a recorded webhook is never posted again.
      row = await deps.store.recordChannelSent(row, channel.name);
      log({ kind: "sent", ...base, detail: outcome.detail });
      continue;
    }
    log({ kind: "failed", ...base, error: outcome.error, retryable: outcome.retryable });
    if (outcome.retryable || outcome.throttled) {
      failures.push({ ...outcome, channel: channel.name });
      continue;
    }
    const error = `${channel.name}: ${outcome.error}`;
    row = await deps.store.recordChannelDead(row, channel.name, error);
    log({ kind: "dead-lettered", ...base, error });
  }
  return { row, failures };
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

/** Every channel is sent or dead: the row is sent if none is dead, else dead-lettered (the sent ones stay sent). */
async function finish(deps: DeliveryDeps, row: DeliveryRow, now: Date): Promise<RowOutcome> {
  const base = { tenantId: row.tenantId, id: row.alert.id };
  if (row.deadChannels.length === 0) {
    const sent = await deps.store.markSent(row, now);
    return { ...base, status: "sent", attempts: sent.attempts, channels: channelStates(deps, sent) };
  }
  return giveUp(deps, row, now, row.lastError ?? `${row.deadChannels.join(", ")} dead-lettered`);
}

/** Dead-letters the row and every channel it still had pending. */
async function giveUp(deps: DeliveryDeps, row: DeliveryRow, now: Date, error: string): Promise<RowOutcome> {
  const base = { tenantId: row.tenantId, id: row.alert.id };
  const dead = await deps.store.deadLetter(
    row,
    now,
    error,
    pendingChannels(deps, row).map((c) => c.name),
  );
  logger(deps)({ kind: "dead-lettered", ...base, error });
  return { ...base, status: "dead-lettered", attempts: dead.attempts, error, channels: channelStates(deps, dead) };
}

/**
 * Delivers one row, retrying inline while the waits are short. Returns what happened and, when
 * the sender asked for a wait too long to sleep here, that wait.
 */
async function deliverRow(deps: DeliveryDeps, initial: DeliveryRow, mode: Mode): Promise<{ outcome: RowOutcome; longWaitMs?: number }> {
  const base = { tenantId: initial.tenantId, id: initial.alert.id };
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
      // Every channel done and recorded; only the row's last write was lost (a crash, a storage blip).
      if (pendingChannels(deps, row).length === 0) return { outcome: await finish(deps, row, deps.now()) };
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
      // A sender died mid-attempt on its last try: nothing left to try.
      if (row.attempts >= deps.settings.maxAttempts) {
        return { outcome: await giveUp(deps, row, deps.now(), row.lastError ?? `gave up after ${row.attempts} attempts`) };
      }
      row = await deps.store.claim(row, deps.now(), leaseMs);
      const result = await attempt(deps, row);
      row = result.row;
      const now = deps.now();
      if (result.failures.length === 0) return { outcome: await finish(deps, row, now) };
      const error = result.failures.map((f) => `${f.channel}: ${f.error}`).join("; ");
      const throttled = result.failures.filter((f) => f.throttled);
      const asked = result.failures.map((f) => f.retryAfterMs).filter((ms) => ms !== undefined);
      // Only throttled: a wait, not a failure: the attempt is given back. Either way every sender is told to wait.
      const onlyThrottled = throttled.length === result.failures.length;
      const waitMs = onlyThrottled
        ? Math.max(MIN_WAIT_MS, ...asked, asked.length > 0 ? 0 : (deps.throttleWaitMs ?? THROTTLE_WAIT_MS))
        : Math.max(MIN_WAIT_MS, ...(asked.length > 0 ? asked : [backoffMs(row.attempts, random, deps.backoff ?? DEFAULT_BACKOFF)]));
      const nextAttemptAt = new Date(now.getTime() + waitMs);
      for (const f of throttled) {
        try {
          await deps.throttle?.recordThrottle(
            f.channel,
            new Date(now.getTime() + Math.max(MIN_WAIT_MS, f.retryAfterMs ?? deps.throttleWaitMs ?? THROTTLE_WAIT_MS)),
            error,
          );
        } catch {
          // The row's own NextAttemptAt still holds it back; the marker only spares the others a 429.
        }
      }
      if (!onlyThrottled && row.attempts >= deps.settings.maxAttempts) {
        return { outcome: await giveUp(deps, row, now, `${error} (gave up after ${row.attempts} attempts)`) };
      }
      row = await deps.store.recordFailure(row, { error, nextAttemptAt, throttled: onlyThrottled });
      const retrying: RowOutcome = {
        ...base,
        status: "retrying",
        attempts: row.attempts,
        nextAttemptAt: nextAttemptAt.toISOString(),
        error,
        channels: channelStates(deps, row),
      };
      if (onlyThrottled && mode === "queue") return { outcome: retrying, longWaitMs: waitMs };
      // Only a wait the service asked for says anything about the next rows.
      if (waitMs > maxInline) return asked.length > 0 || onlyThrottled ? { outcome: retrying, longWaitMs: waitMs } : { outcome: retrying };
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
