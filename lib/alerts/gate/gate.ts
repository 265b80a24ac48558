/**
 * The one way every sender (tenant rows: deliver.ts; the global summary: rollup/send.ts; the daily
 * digest: digest/send.ts) puts a message through a channel:
 *
 *   throttle marker (someone met a 429) → the channel's sending quota (a ledger cell) → the send,
 *   under a deadline → classify (classify.ts) → a 429 tells every sender through the marker.
 *
 * Each answer concerns that channel alone: the callers keep a wait, a retry or a dead channel on the
 * channel's own state, so one channel waiting, failing or hanging never holds another's message.
 * Storage failing around the send (marker, ledger) throws: the caller's row stays as it was and is
 * tried again; a send is never made without its quota cell.
 */
import { redact } from "../../errors/redact.js";
import { errorMessage } from "../../errors/text.js";
import type { BackoffOptions } from "../../retry/backoff.js";
import { clampUntil } from "../../retry/horizon.js";
import type { SendBudget } from "../../store/index.js";
import type { Channel, OutgoingMessage, SendOutcome } from "../channels/types.js";
import { classify, type GateResult, type Why } from "./classify.js";

/** The shared "throttled until" marker per channel (DeliveryMarkers in lib/store/monitor/markers.ts). */
export interface ThrottleMarker {
  throttledUntil(channel: string, now: Date): Promise<Date | null>;
  recordThrottle(channel: string, until: Date, reason: string, now: Date): Promise<void>;
}

interface GateDeps {
  /** Shared across instances; without it each sender only knows its own 429s. */
  readonly throttle?: ThrottleMarker;
  /** Per channel name, the sending budget every sender shares; a channel without one sends unmetered. */
  readonly budgets?: Readonly<Record<string, SendBudget>>;
  readonly now: () => Date;
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** The wait after a 429 without Retry-After (default 60 s). */
  readonly throttleWaitMs?: number;
}

/** Until when a channel waits, and why. */
export interface Hold {
  readonly until: Date;
  readonly why: Why;
}

/** The deadline of a channel that sets none; a channel's own (its SDK's abort signal) fires first, this only catches one that ignores it. */
const DEFAULT_SEND_TIMEOUT_MS = 60_000;
const GRACE_MS = 5_000;

/** `send`, or a retryable failure once it has run `ms` without an answer (the call is abandoned, not awaited). */
async function withDeadline(channel: Channel, send: () => Promise<SendOutcome>, ms: number): Promise<SendOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<SendOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, retryable: true, timedOut: true, error: `${channel.name}: no answer within ${Math.round(ms / 1000)} s` }),
      ms,
    );
  });
  try {
    return await Promise.race([send(), late]);
  } catch (error) {
    // A channel reports failures as outcomes; one that throws anyway failed this once.
    return { ok: false, retryable: true, error: redact(`${channel.name}: ${errorMessage(error)}`) };
  } finally {
    clearTimeout(timer);
  }
}

const holdText = (channel: string, h: Hold): string =>
  h.why === "throttled" ? `${channel} throttled until ${h.until.toISOString()}` : `${channel}: sending quota used; next send at ${h.until.toISOString()}`;

export class ChannelGate {
  constructor(private readonly deps: GateDeps) {}

  /** What holds `channel` back now without taking anything: a live throttle marker, or no quota cell before a later time. */
  async hold(channel: string): Promise<Hold | undefined> {
    const now = this.deps.now();
    let held: Hold | undefined;
    const throttled = await this.deps.throttle?.throttledUntil(channel, now);
    if (throttled && throttled > now) held = { until: throttled, why: "throttled" };
    const next = await this.deps.budgets?.[channel]?.nextAt(now);
    if (next && next > now && next > (held?.until ?? now)) held = { until: new Date(clampUntil(now.getTime(), next.getTime())), why: "quota" };
    return held;
  }

  /**
   * One try of `channel`: `attempt` is this try's number (1-based) on the caller's count, out of
   * `maxAttempts`. `held`: a hold the caller found just before (hold()), answered as a wait without reading it again.
   */
  async trySend(channel: Channel, message: OutgoingMessage, count: { attempt: number; maxAttempts: number }, held?: Hold): Promise<GateResult> {
    const hold = held ?? (await this.markerHold(channel.name));
    if (hold) return { kind: "wait", until: hold.until, why: hold.why, error: holdText(channel.name, hold) };
    const grant = await this.deps.budgets?.[channel.name]?.take(this.deps.now());
    if (grant && !grant.granted) {
      const quota: Hold = { until: new Date(clampUntil(this.deps.now().getTime(), grant.retryAt.getTime())), why: "quota" };
      return { kind: "wait", ...quota, error: holdText(channel.name, quota) };
    }
    const outcome = await withDeadline(channel, () => channel.send(message), (channel.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS) + GRACE_MS);
    const now = this.deps.now();
    const { backoff, throttleWaitMs } = this.deps;
    const result = classify(outcome, { now: now.getTime(), ...count, random: this.deps.random ?? Math.random, backoff, throttleWaitMs });
    if (result.kind === "wait") {
      // The row's own next attempt still holds it back if this fails; the marker only spares the other senders a 429.
      await this.deps.throttle?.recordThrottle(channel.name, result.until, result.error, now).catch(() => undefined);
    }
    return result;
  }

  private async markerHold(channel: string): Promise<Hold | undefined> {
    const now = this.deps.now();
    const until = await this.deps.throttle?.throttledUntil(channel, now);
    return until && until > now ? { until, why: "throttled" } : undefined;
  }
}

export type { GateResult, Why } from "./classify.js";
