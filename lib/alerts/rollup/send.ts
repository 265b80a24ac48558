/**
 * Sends the global recipients' roll-up (render.ts): one message per delivery window to ALERT_TO and
 * the chat webhook, covering every alert row that owes them one (store: lib/store/monitor/rollups.ts).
 *
 *   form (formation lease; form.ts) → each channel at once, under its own lease: its oldest open
 *   roll-up through the sending gate (a 429 or a spent quota is a wait, never an attempt) → a
 *   roll-up every channel is done with is finished, its members marked done.
 *
 * Each channel keeps its own place, next try and attempts on the roll-up row: a webhook that waits,
 * is down or hangs holds only its own posts; the email goes on, and the next roll-up's email is not
 * queued behind the webhook's. A channel that recovers sends what it owes, oldest first.
 *
 * A window: a run's alerts arrive over minutes, so a roll-up is formed once the newest owed alert is
 * `settleMs` old (or the oldest `maxHoldMs` old), and only when a channel may send it now: while
 * the quota holds sends back, more alerts join the next one instead of waiting in line as emails.
 */
import { randomBytes } from "node:crypto";
import { partOf, type DeliveryRow, type RollupRow } from "../../store/index.js";
import { beyondHorizon } from "../../retry/horizon.js";
import type { Channel } from "../channels/types.js";
import { ChannelGate } from "../gate/gate.js";
import { operationIdFor } from "../ids.js";
import { form, pendingIn } from "./form.js";
import { renderRollup } from "./render.js";
import type { RollupDeps, RollupOutcome, RollupPartOutcome } from "./types.js";

export type { RollupOutcome, RollupStore } from "./types.js";

const LEASE_MS = 5 * 60_000;

/** The channels a roll-up goes through: chat always, email when there is a global list. */
const rollupChannels = (deps: Pick<RollupDeps, "channels" | "settings">): Channel[] =>
  deps.channels.filter((c) => c.kind === "chat" || (c.kind === undefined && deps.settings.to.length > 0));

/** `channel`'s oldest open roll-up, once: sent, a wait or a retry recorded on the channel's own columns, or dead. */
async function sendPart(deps: RollupDeps, gate: ChannelGate, r: RollupRow, channel: Channel): Promise<RollupPartOutcome> {
  const part = partOf(r, channel.name);
  const now = deps.now();
  const next = part.nextAttemptAt === null ? NaN : Date.parse(part.nextAttemptAt);
  if (next > now.getTime() && !beyondHorizon(now.getTime(), next)) {
    return { channel: channel.name, status: "waiting", id: r.id, until: part.nextAttemptAt!, error: part.lastError ?? "next attempt" };
  }
  const rows = (await Promise.all(r.members.map((m) => deps.store.getAlert(m)))).filter((x): x is DeliveryRow => x !== undefined);
  if (rows.length === 0) {
    // Every candidate went to a roll-up racing this one (or vanished): nothing to say.
    await deps.store.recordChannelSent(r, channel.name, now);
    return { channel: channel.name, status: "idle" };
  }
  const rendered = {
    ...renderRollup({ id: r.id, createdAt: r.createdAt, alerts: rows.map((x) => x.alert), dashboardUrl: deps.settings.dashboardUrl }),
    operationId: operationIdFor(r.id, r.generation),
    generation: r.generation,
  };
  const message = { rendered, from: deps.settings.from, to: deps.settings.to, date: new Date(r.createdAt) };
  const result = await gate.trySend(channel, message, { attempt: part.attempts + 1, maxAttempts: deps.settings.maxAttempts });
  const base = { channel: channel.name, id: r.id };
  if (result.kind === "sent") {
    await deps.store.recordChannelSent(r, channel.name, deps.now());
    return { ...base, status: "sent" };
  }
  const error = `${channel.name}: ${result.error}`;
  if (result.kind === "dead") {
    await deps.store.recordChannelDead(r, channel.name, error);
    return { ...base, status: "dead", error };
  }
  const until = result.kind === "wait" ? result.until : result.after;
  await deps.store.recordChannelWait(r, channel.name, { now: deps.now(), until, error, counted: result.kind === "retry" });
  return { ...base, status: result.kind === "wait" ? "waiting" : "retrying", until: until.toISOString(), error };
}

/** Under `channel`'s own lease: its oldest open roll-up, if any. */
async function channelStep(deps: RollupDeps, gate: ChannelGate, holder: string, channel: Channel): Promise<RollupPartOutcome> {
  if (!(await deps.store.lease(holder, deps.now(), deps.leaseMs ?? LEASE_MS, channel.name))) return { channel: channel.name, status: "busy" };
  try {
    const head = (await deps.store.listOpen()).find((r) => r.state === "ready" && pendingIn(r, channel.name));
    return head ? await sendPart(deps, gate, head, channel) : { channel: channel.name, status: "idle" };
  } finally {
    await deps.store.release(holder, channel.name);
  }
}

/** Roll-ups every channel is done with: finished (ETag; a lost race is the other sender finishing it), members marked. */
async function finishDone(deps: RollupDeps, channels: readonly Channel[]): Promise<RollupOutcome | undefined> {
  let last: RollupOutcome | undefined;
  for (const r of await deps.store.listOpen()) {
    if (r.state !== "ready" || channels.some((c) => pendingIn(r, c.name))) continue;
    const failed = r.deadChannels.length > 0;
    const done = await deps.store.finish(r, failed ? "failed" : "sent", deps.now()).catch(() => undefined);
    if (!done) continue;
    // A failed one's members stay `in:{id}`: `alerts requeue` puts the roll-up back (rollups.ts requeue) and they go with it.
    if (!failed) for (const m of done.members) await deps.store.markCovered(m, `done:${done.id}`);
    const error = Object.values(done.parts).find((p) => p.lastError)?.lastError ?? done.lastError ?? `${done.deadChannels.join(", ")} dead-lettered`;
    last = failed
      ? { status: "failed", id: done.id, alerts: done.members.length, error }
      : { status: "sent", id: done.id, alerts: done.members.length, channels: channels.filter((c) => done.sentChannels.includes(c.name)).map((c) => c.name) };
  }
  return last;
}

/** The step's outcome for people and for the sweep: a roll-up finished, else the channel that retries or waits soonest, else forming's word. */
function outcomeOf(formed: RollupOutcome | { status: "formed" }, parts: readonly RollupPartOutcome[], finished: RollupOutcome | undefined): RollupOutcome {
  if (finished) return finished;
  const owed = "owed" in formed ? formed.owed : 0;
  const pending = parts.flatMap((p) => (p.status === "waiting" || p.status === "retrying" ? [p] : [])).sort((a, b) => a.until.localeCompare(b.until));
  const retrying = pending.find((p) => p.status === "retrying");
  if (retrying) return { status: "retrying", id: retrying.id, until: retrying.until, error: pending.map((p) => p.error).join("; ") };
  if (pending[0]) return { status: "waiting", id: pending[0].id, until: pending[0].until, reason: pending.map((p) => p.error).join("; "), owed };
  if (formed.status !== "formed") return formed;
  const busy = parts.find((p) => p.status === "busy");
  return busy ? { status: "busy", reason: `another sender holds the ${busy.channel} lease` } : { status: "idle" };
}

/** One step of the roll-up: forms the next when due, and moves each channel on. Safe to call from any number of senders at once. */
export async function sendRollup(deps: RollupDeps): Promise<RollupOutcome> {
  const holder = deps.holder ?? randomBytes(8).toString("hex");
  const gate = new ChannelGate(deps);
  const channels = rollupChannels(deps);
  let formed: RollupOutcome | { status: "formed" } = { status: "busy", reason: "another sender holds the roll-up lease" };
  if (await deps.store.lease(holder, deps.now(), deps.leaseMs ?? LEASE_MS)) {
    try {
      formed = await form(deps, gate, channels);
    } finally {
      await deps.store.release(holder);
    }
  }
  if (formed.status === "no-audience") return formed;
  const parts = await Promise.all(channels.map((c) => channelStep(deps, gate, holder, c)));
  return outcomeOf(formed, parts, await finishDone(deps, channels));
}
