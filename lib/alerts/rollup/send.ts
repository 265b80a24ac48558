/**
 * Sends the global recipients' roll-up (render.ts): one message per delivery window to ALERT_TO and
 * the chat webhook, covering every alert row that owes them one (store: lib/store/monitor/rollups.ts).
 *
 *   lease → an open roll-up? finish it : (alerts owed, settled, and a send allowed now?) → create
 *   with its candidates → mark each candidate (ETag) → seal the members → send each channel not yet
 *   done (budget and throttle first; a 429 or a spent quota is a wait, never an attempt) → sent →
 *   the members marked done.
 *
 * A window: a run's alerts arrive over minutes, so a roll-up is formed once the newest owed alert is
 * `settleMs` old (or the oldest `maxHoldMs` old), and only when the quota would let it go now: while
 * the quota holds sends back, more alerts join the next one instead of waiting in line as emails.
 */
import { randomBytes } from "node:crypto";
import type { DeliveryRow, RollupRef, RollupRepository, RollupRow, SendBudget } from "../../store/index.js";
import { MAX_ROLLUP_MEMBERS } from "../../store/index.js";
import { ALERT_BACKOFF, backoffMs } from "../../retry/backoff.js";
import type { Channel } from "../channels/types.js";
import { operationIdFor } from "../ids.js";
import { renderRollup } from "./render.js";

export type RollupStore = Pick<
  RollupRepository,
  | "listOwed"
  | "listStray"
  | "getAlert"
  | "markAlert"
  | "lease"
  | "release"
  | "listOpen"
  | "create"
  | "seal"
  | "recordChannelSent"
  | "recordChannelDead"
  | "recordWait"
  | "finish"
  | "markCovered"
>;

interface RollupThrottle {
  throttledUntil(channel: string): Promise<Date | null>;
  recordThrottle(channel: string, until: Date, reason: string): Promise<void>;
}

interface RollupDeps {
  readonly store: RollupStore;
  /** Every configured channel: email ones go to settings.to, chat ones to the webhook. */
  readonly channels: readonly Channel[];
  readonly budgets?: Readonly<Record<string, SendBudget>>;
  readonly throttle?: RollupThrottle;
  readonly settings: { readonly from: string; readonly to: readonly string[]; readonly maxAttempts: number; readonly dashboardUrl?: string };
  readonly now: () => Date;
  /** Who holds the lease (a random id per sender). */
  readonly holder?: string;
  readonly leaseMs?: number;
  readonly settleMs?: number;
  readonly maxHoldMs?: number;
  readonly random?: () => number;
  /** Set while urgent tenant emails wait for the quota: a summary with none of these alerts (only reminders and good news) waits behind them. */
  readonly urgent?: (row: DeliveryRow) => boolean;
}

export type RollupOutcome =
  | { readonly status: "idle" }
  | { readonly status: "busy"; readonly reason: string }
  | { readonly status: "waiting"; readonly until: string; readonly reason: string; readonly id?: string; readonly owed: number; readonly deferred?: true }
  | { readonly status: "no-audience"; readonly alerts: number }
  | { readonly status: "sent"; readonly id: string; readonly alerts: number; readonly channels: readonly string[] }
  | { readonly status: "retrying"; readonly id: string; readonly until: string; readonly error: string }
  | { readonly status: "failed"; readonly id: string; readonly alerts: number; readonly error: string };

const DEFAULT_SETTLE_MS = 60_000;
const DEFAULT_MAX_HOLD_MS = 15 * 60_000;
const LEASE_MS = 10 * 60_000;
const MIN_WAIT_MS = 1_000;
const THROTTLE_WAIT_MS = 60_000;

/** The channels a roll-up goes through: chat always, email when there is a global list. */
const rollupChannels = (deps: Pick<RollupDeps, "channels" | "settings">): Channel[] =>
  deps.channels.filter((c) => c.kind === "chat" || deps.settings.to.length > 0);

const refOf = (r: DeliveryRow): RollupRef => ({ tenantId: r.tenantId, id: r.alert.id });

/** `r` + UTC time + random: sortable, and a safe row id (lib/alerts/ids.ts). */
function rollupId(now: Date, random: () => number): string {
  const stamp = now.toISOString().replace(/[-:.TZ]/g, "");
  const salt =
    Math.floor(random() * 0xffffff)
      .toString(16)
      .padStart(6, "0") + randomBytes(3).toString("hex");
  return `r${stamp}${salt}`;
}

/** When every channel of the roll-up could send (the latest of their budgets and throttles). */
async function sendableAt(deps: RollupDeps, channels: readonly Channel[], now: Date): Promise<Date> {
  let at = now.getTime();
  for (const c of channels) {
    const budget = await deps.budgets?.[c.name]?.nextAt(now);
    const throttled = await deps.throttle?.throttledUntil(c.name);
    at = Math.max(at, budget?.getTime() ?? 0, throttled?.getTime() ?? 0);
  }
  return new Date(at);
}

/** Marks each candidate still owed as covered by `r` (ETag), re-reading on a lost race; the members are those now in `r`. */
async function seal(deps: RollupDeps, r: RollupRow): Promise<RollupRow> {
  const mark = `in:${r.id}`;
  const members: RollupRef[] = [];
  const one = async (ref: RollupRef): Promise<RollupRef | undefined> => {
    for (let i = 0; i < 4; i++) {
      const row = await deps.store.getAlert(ref);
      if (!row) return undefined;
      if (row.rollup === mark) return ref;
      if (row.rollup !== "owed") return undefined;
      if (await deps.store.markAlert(row, mark)) return ref;
    }
    // Lost four races in a row (its own delivery keeps writing it): the next roll-up covers it.
    return undefined;
  };
  for (let i = 0; i < r.candidates.length; i += 16) {
    const batch = await Promise.all(r.candidates.slice(i, i + 16).map(one));
    for (const m of batch) if (m) members.push(m);
  }
  return deps.store.seal(r, members);
}

async function deliver(deps: RollupDeps, initial: RollupRow, owed: number): Promise<RollupOutcome> {
  let r = initial;
  const now = deps.now();
  if (r.nextAttemptAt && Date.parse(r.nextAttemptAt) > now.getTime()) {
    return { status: "waiting", id: r.id, until: r.nextAttemptAt, reason: r.lastError ?? "next attempt", owed };
  }
  const rows = (await Promise.all(r.members.map((m) => deps.store.getAlert(m)))).filter((x): x is DeliveryRow => x !== undefined);
  if (rows.length === 0) {
    // Every candidate went to a roll-up racing this one (or vanished): nothing to say.
    await deps.store.finish(r, "sent", now);
    return { status: "idle" };
  }
  const rendered = {
    ...renderRollup({ id: r.id, createdAt: r.createdAt, alerts: rows.map((x) => x.alert), dashboardUrl: deps.settings.dashboardUrl }),
    operationId: operationIdFor(r.id, r.generation),
    generation: r.generation,
  };
  const waits: number[] = [];
  const errors: string[] = [];
  let counted = false;
  for (const channel of rollupChannels(deps).filter((c) => !r.sentChannels.includes(c.name) && !r.deadChannels.includes(c.name))) {
    const at = deps.now();
    const throttled = await deps.throttle?.throttledUntil(channel.name);
    if (throttled && throttled > at) {
      waits.push(throttled.getTime() - at.getTime());
      continue;
    }
    const grant = await deps.budgets?.[channel.name]?.take(at);
    if (grant && !grant.granted) {
      waits.push(grant.retryAt.getTime() - at.getTime());
      continue;
    }
    const outcome = await channel.send({ rendered, from: deps.settings.from, to: deps.settings.to, date: new Date(r.createdAt) });
    if (outcome.ok) {
      r = await deps.store.recordChannelSent(r, channel.name);
      continue;
    }
    errors.push(`${channel.name}: ${outcome.error}`);
    if (outcome.throttled) {
      const wait = Math.max(MIN_WAIT_MS, outcome.retryAfterMs ?? THROTTLE_WAIT_MS);
      waits.push(wait);
      await deps.throttle?.recordThrottle(channel.name, new Date(at.getTime() + wait), outcome.error).catch(() => undefined);
    } else if (outcome.retryable && r.attempts + 1 < deps.settings.maxAttempts) {
      counted = true;
      waits.push(Math.max(MIN_WAIT_MS, outcome.retryAfterMs ?? backoffMs(r.attempts + 1, deps.random ?? Math.random, ALERT_BACKOFF)));
    } else {
      r = await deps.store.recordChannelDead(r, channel.name, `${channel.name}: ${outcome.error}`);
    }
  }
  if (waits.length > 0) {
    const until = new Date(deps.now().getTime() + Math.max(...waits));
    r = await deps.store.recordWait(r, until, errors.length > 0 ? errors.join("; ") : null, counted);
    const reason = errors.length > 0 ? errors.join("; ") : "the sending quota or a throttle holds it until then";
    return errors.length > 0 && counted
      ? { status: "retrying", id: r.id, until: until.toISOString(), error: reason }
      : { status: "waiting", id: r.id, until: until.toISOString(), reason, owed };
  }
  const failed = r.deadChannels.length > 0;
  r = await deps.store.finish(r, failed ? "failed" : "sent", deps.now());
  // The members say so too (for the status); the roll-up row is what makes it final. A failed one's
  // members stay `in:{id}`: `alerts requeue` puts the roll-up back (rollups.ts requeue) and they go with it.
  if (!failed) for (const m of r.members) await deps.store.markCovered(m, `done:${r.id}`);
  return failed
    ? { status: "failed", id: r.id, alerts: r.members.length, error: r.lastError ?? `${r.deadChannels.join(", ")} dead-lettered` }
    : { status: "sent", id: r.id, alerts: r.members.length, channels: r.sentChannels };
}

/** One step of the roll-up: finishes the open one, or forms and sends the next. Safe to call from any number of senders at once. */
export async function sendRollup(deps: RollupDeps): Promise<RollupOutcome> {
  const holder = deps.holder ?? randomBytes(8).toString("hex");
  if (!(await deps.store.lease(holder, deps.now(), deps.leaseMs ?? LEASE_MS))) return { status: "busy", reason: "another sender holds the roll-up lease" };
  try {
    let [open] = await deps.store.listOpen();
    let owed = 0;
    if (!open) {
      // Every roll-up is finished: an alert still marked into one it is not a member of goes back in line.
      for (const stray of await deps.store.listStray()) await deps.store.markAlert(stray, "owed");
      const rows = await deps.store.listOwed();
      owed = rows.length;
      if (rows.length === 0) return { status: "idle" };
      const channels = rollupChannels(deps);
      if (channels.length === 0) {
        // No global list and no webhook: nobody to tell beyond each tenant's own recipients.
        for (const row of rows) await deps.store.markAlert(row, "none");
        return { status: "no-audience", alerts: rows.length };
      }
      const now = deps.now();
      const newest = Math.max(...rows.map((x) => Date.parse(x.alert.createdAt)));
      const oldest = Math.min(...rows.map((x) => Date.parse(x.alert.createdAt)));
      const settled = Math.min(newest + (deps.settleMs ?? DEFAULT_SETTLE_MS), oldest + (deps.maxHoldMs ?? DEFAULT_MAX_HOLD_MS));
      if (settled > now.getTime()) return { status: "waiting", until: new Date(settled).toISOString(), reason: "the run is still writing alerts", owed };
      if (deps.urgent && !rows.some(deps.urgent)) {
        const reason = "only reminders and resolved changes: the tenants' drift emails go first";
        return { status: "waiting", until: now.toISOString(), reason, owed, deferred: true };
      }
      const sendable = await sendableAt(deps, channels, now);
      if (sendable > now) return { status: "waiting", until: sendable.toISOString(), reason: "the sending quota holds it until then", owed };
      open = await deps.store.create(rollupId(now, deps.random ?? Math.random), rows.slice(0, MAX_ROLLUP_MEMBERS).map(refOf), now);
    }
    if (open.state === "forming") open = await seal(deps, open);
    return await deliver(deps, open, owed);
  } finally {
    await deps.store.release(holder);
  }
}
