/**
 * Delivery of outbox rows: what the Functions queue trigger (one row) and the timer sweep (every
 * due row) call. Per row:
 *
 *   every channel sent or dead? → mark sent (none dead) or dead-letter (never lose a delivered one)
 *   sender in backoff? → leave the row (queue trigger) or wait it out (sweep, if short)
 *   claim (attempt counted, row leased) → render → EACH channel not yet done, on its own, through
 *   the sending gate (gate/gate.ts): sent is recorded at once (SentChannels), dead dead-letters
 *   that channel at once (DeadChannels), a wait or a retry is kept, and the next channel is tried
 *   either way → then the row is done, or keeps the errors and comes back when its first waiting
 *   channel can go; past ALERT_MAX_ATTEMPTS the channels still failing are dead-lettered with the
 *   row. A failing email never silences the webhook, nor the other way round.
 *
 * Waiting is not failing: when only waits came back (a 429, the quota) the attempt is given back.
 * The gate's shared marker tells every sender of a 429: the queue trigger, which runs up to 24
 * rows at once per instance, then sends nothing and leaves its row to the sweep; the sweep, one row
 * at a time, sleeps out a short wait and stops at a long one. So a burst of alerts against a sender
 * that takes about 5 a minute drains at the sender's pace instead of being dead-lettered.
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
import { parseMonitorPartition } from "../model/account.js";
import { ConcurrencyError, type DeliveryRow, type InvalidRow } from "../store/index.js";
import { beyondHorizon } from "../retry/horizon.js";
import { errorMessage } from "../errors/text.js";
import type { DeliveryDeps, DeliverySummary, RowOutcome } from "./delivery-types.js";
import { channelStates, DEFAULT_LEASE_MS, logger, pendingChannels, urgencyOf } from "./delivery-rows.js";
import { attempt, gateOf, heldChannels } from "./attempt.js";
import type { Hold } from "./gate/gate.js";
import { MAX_INLINE_WAIT_MS } from "./gate/classify.js";
import { runRollup } from "./rollup/wiring.js";
import type { RollupOutcome } from "./rollup/send.js";

export type { DeliveryDeps, DeliveryEvent, DeliveryStore, DeliverySummary, RowOutcome } from "./delivery-types.js";

export const SWEEP_BUDGET_MS = 4 * 60_000;

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

/** Channels that asked for (or whose quota needs) a wait too long for this sweep, and how long (ms). */
type Stalled = Map<string, number>;

/**
 * Delivers one row, retrying inline while the waits are short. Returns what happened and, for each
 * channel that must wait longer than can be slept here, that wait.
 */
async function deliverRow(deps: DeliveryDeps, initial: DeliveryRow, mode: Mode, sweepEnds = 0): Promise<{ outcome: RowOutcome; stalled?: Stalled }> {
  const base = { tenantId: initial.tenantId, id: initial.alert.id };
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxInline = deps.maxInlineWaitMs ?? MAX_INLINE_WAIT_MS;
  const gate = gateOf(deps);
  let row = initial;
  /** Set after sleeping out the sender's backoff: send then, rather than read the marker again. */
  let waited = false;
  try {
    for (;;) {
      if (row.delivery !== "pending")
        return { outcome: { ...base, status: "skipped", reason: `already ${row.delivery === "sent" ? "sent" : "dead-lettered"}` } };
      // Every channel done and recorded; only the row's last write was lost (a crash, a storage blip).
      if (pendingChannels(deps, row).length === 0) return { outcome: await finish(deps, row, deps.now()) };
      // Reminders and good news wait for the sweep, which sends the urgent rows first; the queue trigger would send in arrival order.
      if (mode === "queue" && deps.budgets && urgencyOf(row) === 1 && pendingChannels(deps, row).some((c) => deps.budgets?.[c.name])) {
        return { outcome: { ...base, status: "skipped", reason: "reminders and resolved go after drift within the sending quota; the sweep sends it" } };
      }
      const held = waited ? new Map<string, Hold>() : await heldChannels(deps, gate, row);
      waited = false;
      // Every channel this row still needs is held: wait (a channel that can send goes now, the held ones wait in the attempt).
      const holds = pendingChannels(deps, row).map((c) => ({ channel: c.name, hold: held.get(c.name) }));
      if (holds.every((h) => h.hold)) {
        const first = holds.reduce((a, b) => (b.hold!.until < a.hold!.until ? b : a));
        const waitMs = first.hold!.until.getTime() - deps.now().getTime();
        // The quota's pace is known and ours to keep: the sweep waits for the next cell while its time budget lasts.
        const inline = first.hold!.why === "quota" ? Math.max(maxInline, sweepEnds - deps.now().getTime()) : maxInline;
        if (mode === "queue" || waitMs > inline) {
          const why = first.hold!.why === "quota" ? "sending quota used" : "throttled";
          const reason = `${first.channel} ${why} until ${first.hold!.until.toISOString()}; the sweep sends it after that`;
          const stalled: Stalled = new Map(
            holds.map((h) => [h.channel, h.hold!.until.getTime() - deps.now().getTime()] as const).filter(([, ms]) => ms > maxInline),
          );
          return { outcome: { ...base, status: "skipped", reason }, stalled };
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
      const result = await attempt(deps, gate, row, held);
      row = result.row;
      const now = deps.now();
      if (result.failures.length === 0) return { outcome: await finish(deps, row, now) };
      const error = result.failures.map((f) => `${f.channel}: ${f.result.error}`).join("; ");
      // Only waits (429, quota): not a failure, the attempt is given back. The row comes back when its first channel can go.
      const onlyWaits = result.failures.every((f) => f.result.kind === "wait");
      const nextAttemptAt = new Date(Math.min(...result.failures.map((f) => (f.result.kind === "wait" ? f.result.until : f.result.after).getTime())));
      const waitMs = nextAttemptAt.getTime() - now.getTime();
      row = await deps.store.recordFailure(row, { error, nextAttemptAt, throttled: onlyWaits });
      const retrying: RowOutcome = {
        ...base,
        status: "retrying",
        attempts: row.attempts,
        nextAttemptAt: nextAttemptAt.toISOString(),
        error,
        channels: channelStates(deps, row),
      };
      // Only a wait a channel asked for (or its quota), or a channel that hangs, says anything about the next rows; a failure's backoff is
      // this row's own. A hanging channel would cost every next row its deadline: it is left until this row's next try.
      const stalled: Stalled = new Map(
        result.failures.flatMap((f) => {
          if (f.result.kind === "wait")
            return f.result.until.getTime() - now.getTime() > maxInline ? [[f.channel, f.result.until.getTime() - now.getTime()] as const] : [];
          return f.result.timedOut ? [[f.channel, f.result.after.getTime() - now.getTime()] as const] : [];
        }),
      );
      if (onlyWaits && mode === "queue") return { outcome: retrying, stalled };
      if (waitMs > maxInline || stalled.size > 0) return { outcome: retrying, stalled };
      await deps.sleep(Math.max(0, waitMs));
    }
  } catch (error) {
    if (error instanceof ConcurrencyError) return { outcome: { ...base, status: "skipped", reason: "another sender updated it first" } };
    return { outcome: { ...base, status: "error", error: errorMessage(error) } };
  }
}

function summarise(outcomes: RowOutcome[], invalidRows: InvalidRow[], stoppedEarly?: string, rollup?: RollupOutcome): DeliverySummary {
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
    ...(rollup ? { rollup } : {}),
  };
}

/**
 * Sends the global roll-up first (when wired), then every due row (of every tenant, or of one),
 * urgent ones first (drift, degraded), then oldest first, one at a time: the sender's quota is
 * shared, so parallel sends would only meet 429s sooner. A channel that asks for (or whose budget
 * needs) a long wait is left for the next sweep, but rows that do not need it still go; the sweep
 * ends when every row left needs a waiting channel, or when it has run `sweepBudgetMs`.
 */
export async function deliverDue(deps: DeliveryDeps, options: { tenantId?: string; limit?: number } = {}): Promise<DeliverySummary> {
  if (deps.channels.length === 0) throw new Error("deliverDue: no delivery channel configured");
  const started = deps.now().getTime();
  const budget = deps.sweepBudgetMs ?? SWEEP_BUDGET_MS;
  let invalidRows: InvalidRow[] = [];
  const list = async (): Promise<DeliveryRow[]> => {
    invalidRows = [];
    const listed = await deps.store.listDue(deps.now(), {
      ...options,
      onInvalid: (r) => {
        invalidRows.push(r);
        deps.log?.({ kind: "invalid-row", tenantId: r.tenantId, id: r.rowKey, error: r.error });
      },
    });
    // A stable sort: within each urgency the store's oldest-first order holds.
    return [...listed].sort((a, b) => urgencyOf(a) - urgencyOf(b));
  };
  let due = await list();
  // Drift before good news within the quota: a summary of only reminders and resolved changes goes after the urgent rows that need a cell.
  const urgentWaits = due.some((r) => urgencyOf(r) === 0 && pendingChannels(deps, r).some((c) => deps.budgets?.[c.name]));
  let rollup = deps.rollup && options.tenantId === undefined ? await runRollup(deps, deps.rollup, urgentWaits) : undefined;
  const deferred = () => rollup?.status === "waiting" && rollup.deferred === true;
  // The summary goes before the rows: if it is due within this sweep (the run settling, the quota's next cell), wait for it here,
  // or the rows would take every cell as it frees and the global list would wait behind all of them.
  for (let i = 0; i < 3 && deps.rollup && rollup?.status === "waiting" && !deferred() && Date.parse(rollup.until) <= started + budget; i++) {
    await deps.sleep(Math.max(0, Date.parse(rollup.until) - deps.now().getTime()));
    rollup = await runRollup(deps, deps.rollup);
    due = await list();
  }
  /** The deferred summary, once the urgent rows had their turn: before the first non-urgent row, or at the end. */
  const afterUrgent = async (): Promise<void> => {
    if (deps.rollup && deferred()) rollup = await runRollup(deps, deps.rollup);
  };
  const outcomes: RowOutcome[] = [];
  /** Channels that asked for a wait too long for this sweep, and how long. */
  const stalled = new Map<string, number>();
  let left = 0;
  for (const [i, row] of due.entries()) {
    if (urgencyOf(row) === 1) await afterUrgent();
    if (i > 0 && deps.now().getTime() - started >= budget) {
      await afterUrgent();
      return summarise(outcomes, invalidRows, `time budget of ${Math.round(budget / 1000)} s used; ${due.length - i} rows left for the next sweep`, rollup);
    }
    const pending = pendingChannels(deps, row);
    if (stalled.size > 0 && pending.length > 0 && pending.every((c) => stalled.has(c.name))) {
      left++;
      continue;
    }
    const { outcome, stalled: waits } = await deliverRow(deps, row, "sweep", started + budget);
    outcomes.push(outcome);
    for (const [c, ms] of waits ?? []) stalled.set(c, Math.max(stalled.get(c) ?? 0, ms));
  }
  await afterUrgent();
  if (left === 0) return summarise(outcomes, invalidRows, undefined, rollup);
  const wait = Math.max(...stalled.values());
  return summarise(outcomes, invalidRows, `throttled: asked to wait ${Math.round(wait / 1000)} s; ${left} rows left for the next sweep`, rollup);
}

/**
 * Delivers one row by its account's Monitor partition and id (the queue trigger's message). A row
 * not yet due (backing off, leased) is left alone, and so is every row while its sender is
 * throttled: the sweep sends it then.
 */
export async function deliverAlert(deps: DeliveryDeps, partition: string, id: string): Promise<RowOutcome> {
  if (deps.channels.length === 0) throw new Error("deliverAlert: no delivery channel configured");
  const { tenantId } = parseMonitorPartition(partition);
  let row: DeliveryRow | undefined;
  try {
    row = await deps.store.get(partition, id);
  } catch (error) {
    return { status: "error", tenantId, id, error: errorMessage(error) };
  }
  if (!row) return { status: "skipped", tenantId, id, reason: "no such alert" };
  const next = row.nextAttemptAt === null ? NaN : Date.parse(row.nextAttemptAt);
  if (row.delivery === "pending" && next > deps.now().getTime() && !beyondHorizon(deps.now().getTime(), next)) {
    return { status: "skipped", tenantId, id, reason: `not due until ${row.nextAttemptAt}` };
  }
  return (await deliverRow(deps, row, "queue")).outcome;
}
