/**
 * One delivery attempt of one outbox row (deliver.ts claims it first), and what holds a row's
 * channels back before it is claimed: a shared "throttled until" marker (a 429 someone met) or a
 * spent sending budget (the quota, lib/store/monitor/send-budget.ts). Each channel on its own: a
 * throttled email does not hold the webhook, nor the other way round.
 */
import type { DeliveryRow } from "../store/index.js";
import { operationIdFor } from "./ids.js";
import { renderAlert } from "./render/index.js";
import type { SendOutcome } from "./channels/types.js";
import type { DeliveryDeps } from "./delivery-types.js";
import { logger, pendingChannels, recipientsOf } from "./delivery-rows.js";

/** A failure of one channel; `held`: a wait known before sending (marker or budget), so no marker is written for it. */
type Failure = Extract<SendOutcome, { ok: false }> & { readonly channel: string; readonly held?: true };

interface Attempt {
  readonly row: DeliveryRow;
  /** The channels that failed or waited this time and may be tried again (a failure repeating cannot fix is recorded dead at once). */
  readonly failures: readonly Failure[];
}

/** Until when a channel waits, and why. */
export interface Hold {
  readonly until: Date;
  readonly why: "throttled" | "quota";
}

/** The pending channels of `row` that cannot send at `now`: a live throttle marker, or no budget until later. */
export async function heldChannels(deps: DeliveryDeps, row: DeliveryRow): Promise<Map<string, Hold>> {
  const now = deps.now();
  const held = new Map<string, Hold>();
  for (const channel of pendingChannels(deps, row)) {
    const throttled = await deps.throttle?.throttledUntil(channel.name);
    if (throttled && throttled > now) held.set(channel.name, { until: throttled, why: "throttled" });
    const next = await deps.budgets?.[channel.name]?.nextAt(now);
    if (next && next > now && next > (held.get(channel.name)?.until ?? now)) held.set(channel.name, { until: next, why: "quota" });
  }
  return held;
}

const holdText = (channel: string, h: Hold): string =>
  h.why === "throttled" ? `${channel} throttled until ${h.until.toISOString()}` : `${channel}: sending quota used; next send at ${h.until.toISOString()}`;

/**
 * Every channel not yet done, in order, each on its own: a success is recorded at once, a failure
 * repeating cannot fix dead-letters that channel at once, a held channel (or one whose budget
 * was taken by another sender meanwhile) is a wait, and either way the next channel is tried.
 */
export async function attempt(deps: DeliveryDeps, claimed: DeliveryRow, held: ReadonlyMap<string, Hold>): Promise<Attempt> {
  const log = logger(deps);
  const now = deps.now();
  const rendered = {
    ...renderAlert(claimed.alert, { now, dashboardUrl: deps.settings.dashboardUrl }),
    operationId: operationIdFor(claimed.alert.id, claimed.generation),
    generation: claimed.generation,
  };
  const to = recipientsOf(deps, claimed);
  let row = claimed;
  const failures: Failure[] = [];
  for (const channel of pendingChannels(deps, row)) {
    const base = { tenantId: row.tenantId, id: row.alert.id, channel: channel.name };
    const hold = held.get(channel.name);
    const grant = hold ? undefined : await deps.budgets?.[channel.name]?.take(deps.now());
    const wait: Hold | undefined = hold ?? (grant && !grant.granted ? { until: grant.retryAt, why: "quota" } : undefined);
    if (wait) {
      const ms = Math.max(0, wait.until.getTime() - deps.now().getTime());
      failures.push({ ok: false, retryable: true, throttled: true, held: true, retryAfterMs: ms, error: holdText(channel.name, wait), channel: channel.name });
      continue;
    }
    const outcome = await channel.send({ rendered, from: deps.settings.from, to, date: new Date(claimed.alert.createdAt) });
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
