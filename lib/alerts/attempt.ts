/**
 * One delivery attempt of one outbox row (deliver.ts claims it first), and what holds a row's
 * channels back before it is claimed. Each channel goes through the sending gate (gate/gate.ts) on
 * its own: a throttled email does not hold the webhook, nor the other way round.
 */
import type { DeliveryRow } from "../store/index.js";
import { operationIdFor } from "./ids.js";
import { renderAlert } from "./render/index.js";
import type { DeliveryDeps } from "./delivery-types.js";
import { logger, pendingChannels, recipientsOf } from "./delivery-rows.js";
import { ChannelGate, type GateResult, type Hold } from "./gate/gate.js";

/** A channel that waits or may be retried; `held`: a wait known before sending (marker or budget). */
interface Failure {
  readonly channel: string;
  readonly result: Extract<GateResult, { kind: "wait" | "retry" }>;
  readonly held: boolean;
}

interface Attempt {
  readonly row: DeliveryRow;
  /** The channels that failed or waited this time and may be tried again (a failure repeating cannot fix is recorded dead at once). */
  readonly failures: readonly Failure[];
}

export const gateOf = (deps: DeliveryDeps): ChannelGate => new ChannelGate(deps);

/** The pending channels of `row` that cannot send now: a live throttle marker, or no budget until later. */
export async function heldChannels(deps: DeliveryDeps, gate: ChannelGate, row: DeliveryRow): Promise<Map<string, Hold>> {
  const held = new Map<string, Hold>();
  for (const channel of pendingChannels(deps, row)) {
    const hold = await gate.hold(channel.name);
    if (hold) held.set(channel.name, hold);
  }
  return held;
}

/**
 * Every channel not yet done, in order, each on its own: a success is recorded at once, a channel
 * the gate calls dead is dead-lettered at once, a wait or a retry is kept, and either way the next channel is tried.
 */
export async function attempt(deps: DeliveryDeps, gate: ChannelGate, claimed: DeliveryRow, held: ReadonlyMap<string, Hold>): Promise<Attempt> {
  const log = logger(deps);
  const rendered = {
    ...renderAlert(claimed.alert, { now: deps.now(), dashboardUrl: deps.settings.dashboardUrl }),
    operationId: operationIdFor(claimed.alert.id, claimed.generation),
    generation: claimed.generation,
  };
  const message = { rendered, from: deps.settings.from, to: recipientsOf(deps, claimed), date: new Date(claimed.alert.createdAt), alert: claimed.alert };
  const count = { attempt: claimed.attempts, maxAttempts: deps.settings.maxAttempts };
  let row = claimed;
  const failures: Failure[] = [];
  for (const channel of pendingChannels(deps, row)) {
    const base = { tenantId: row.tenantId, id: row.alert.id, channel: channel.name };
    const hold = held.get(channel.name);
    const result = await gate.trySend(channel, message, count, hold);
    if (result.kind === "sent") {
      // Recorded before anything else happens: a row whose every channel is recorded is marked
      // sent even if markSent itself fails now, and a recorded webhook is never posted again.
      row = await deps.store.recordChannelSent(row, channel.name);
      log({ kind: "sent", ...base, detail: result.detail });
      continue;
    }
    const known = hold !== undefined || (result.kind === "wait" && result.why === "quota");
    if (!known) log({ kind: "failed", ...base, error: result.error, retryable: result.kind !== "dead" });
    if (result.kind !== "dead") {
      failures.push({ channel: channel.name, result, held: known });
      continue;
    }
    const error = `${channel.name}: ${result.error}`;
    row = await deps.store.recordChannelDead(row, channel.name, error);
    log({ kind: "dead-lettered", ...base, error });
  }
  return { row, failures };
}
