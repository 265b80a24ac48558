/**
 * Forming the next roll-up (send.ts sends it): under the formation lease, an interrupted formation
 * is sealed, or the alerts owed form a new roll-up once the run has settled and some channel is
 * free (no earlier roll-up still to send through it) and allowed to send now. A channel still
 * working through an earlier roll-up (waiting, failing, hanging) gets the new one after it; the
 * others are not held by it.
 */
import { randomBytes } from "node:crypto";
import type { DeliveryRow, RollupRef, RollupRow } from "../../store/index.js";
import { MAX_ROLLUP_MEMBERS } from "../../store/index.js";
import type { Channel } from "../channels/types.js";
import type { ChannelGate } from "../gate/gate.js";
import type { RollupDeps, RollupOutcome } from "./types.js";

const DEFAULT_SETTLE_MS = 60_000;
const DEFAULT_MAX_HOLD_MS = 15 * 60_000;

const refOf = (r: DeliveryRow): RollupRef => ({ partition: r.partition, id: r.alert.id });

/** True while roll-up `r` still has to go through `channel`. */
export const pendingIn = (r: RollupRow, channel: string): boolean => !r.sentChannels.includes(channel) && !r.deadChannels.includes(channel);

/** `r` + UTC time + random: sortable, and a safe row id (lib/alerts/ids.ts). */
function rollupId(now: Date, random: () => number): string {
  const stamp = now.toISOString().replace(/[-:.TZ]/g, "");
  const salt =
    Math.floor(random() * 0xffffff)
      .toString(16)
      .padStart(6, "0") + randomBytes(3).toString("hex");
  return `r${stamp}${salt}`;
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

/** One formation step (the caller holds the formation lease). `formed`: a roll-up was sealed now. */
export async function form(deps: RollupDeps, gate: ChannelGate, channels: readonly Channel[]): Promise<RollupOutcome | { readonly status: "formed" }> {
  const open = await deps.store.listOpen();
  const forming = open.filter((r) => r.state === "forming");
  if (forming.length > 0) {
    for (const r of forming) await seal(deps, r);
    return { status: "formed" };
  }
  // No formation under way: an alert still marked into a roll-up it is not a member of goes back in line.
  for (const stray of await deps.store.listStray()) await deps.store.markAlert(stray, "owed");
  const rows = await deps.store.listOwed();
  const owed = rows.length;
  if (owed === 0) return { status: "idle" };
  if (channels.length === 0) {
    // No global list and no webhook: nobody to tell beyond each tenant's own recipients.
    for (const row of rows) await deps.store.markAlert(row, "none");
    return { status: "no-audience", alerts: owed };
  }
  const now = deps.now();
  const settleMs = deps.settleMs ?? DEFAULT_SETTLE_MS;
  // An alert stamped further ahead than a settle period came from a host whose clock runs ahead: it counts as settled,
  // or the summary would wait for as long as that clock is off (a far-off stamp never comes).
  const stamps = rows.map((x) => Date.parse(x.alert.createdAt)).filter((t) => !(t > now.getTime() + settleMs));
  const newest = Math.max(...stamps);
  const oldest = Math.min(...stamps);
  const settled = Math.min(newest + settleMs, oldest + (deps.maxHoldMs ?? DEFAULT_MAX_HOLD_MS));
  if (settled > now.getTime()) return { status: "waiting", until: new Date(settled).toISOString(), reason: "the run is still writing alerts", owed };
  if (deps.urgent && !rows.some(deps.urgent)) {
    const reason = "only reminders and resolved changes: the tenants' drift emails go first";
    return { status: "waiting", until: now.toISOString(), reason, owed, deferred: true };
  }
  // While every channel still sends an earlier roll-up, or may not send now, more alerts join the next one instead of queuing as messages.
  const free = channels.filter((c) => !open.some((r) => pendingIn(r, c.name)));
  if (free.length === 0) return { status: "waiting", until: now.toISOString(), reason: "every channel is still sending an earlier summary", owed };
  const holds = await Promise.all(free.map((c) => gate.hold(c.name)));
  if (holds.every((h) => h !== undefined)) {
    const until = new Date(Math.min(...holds.map((h) => h!.until.getTime())));
    return { status: "waiting", until: until.toISOString(), reason: "the sending quota holds it until then", owed };
  }
  const created = await deps.store.create(rollupId(now, deps.random ?? Math.random), rows.slice(0, MAX_ROLLUP_MEMBERS).map(refOf), now);
  await seal(deps, created);
  return { status: "formed" };
}
