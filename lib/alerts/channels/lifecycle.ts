/**
 * The lifecycle webhook (ALERT_WEBHOOK_FORMAT=lifecycle): one POST per finding event of an alert
 * row (lib/alerts/lifecycle/event.ts), in the row's order, each with its own `Idempotency-Key`
 * header (the event's idempotencyKey). It is a per-row channel ("events"): every alert row goes
 * through it, roll-ups or not; a digest or a roll-up (no alert row) has no events and is done at
 * once. A failed POST stops the row's remaining events; the row is retried as a whole, so events
 * that already arrived are posted again with the same keys, which a receiver folds. The URL
 * carries the receiver's secret: it never appears in an error.
 */
import { errorMessage } from "../../errors/text.js";
import { postJson } from "./post.js";
import { redact } from "../../errors/redact.js";
import { isRetryableStatus, retryAfterMs } from "../../retry/backoff.js";
import { lifecycleEvents, type LifecycleEvent } from "../lifecycle/event.js";
import type { Channel, OutgoingMessage, SendOutcome } from "./types.js";

interface LifecycleChannelOptions {
  readonly url: string;
  readonly dashboardUrl?: string;
  readonly fetch?: typeof fetch;
  /** For one POST; the channel's own deadline (the gate's) allows a few events in a row. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

async function post(options: LifecycleChannelOptions, where: string, event: LifecycleEvent): Promise<SendOutcome> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const response = await postJson({ url: options.url, body: event, idempotencyKey: event.idempotencyKey, timeoutMs, fetch: doFetch, where });
  if ("retryable" in response) return response;
  const body = (await response.text().catch(() => "")).slice(0, 300);
  if (response.ok) return { ok: true, detail: `${where} answered ${response.status}` };
  return {
    ok: false,
    retryable: isRetryableStatus(response.status),
    error: redact(`${where} answered ${response.status} to ${event.event} ${event.idempotencyKey}${body ? `: ${body}` : ""}`),
    retryAfterMs: retryAfterMs(response.headers, (options.now ?? (() => new Date()))()),
    ...(response.status === 429 ? { throttled: true } : {}),
  };
}

export function lifecycleChannel(options: LifecycleChannelOptions): Channel {
  const where = `lifecycle webhook (${new URL(options.url).host})`;
  const perPost = options.timeoutMs ?? 15_000;
  return {
    name: "webhook",
    kind: "events",
    // A row carries a handful of findings; the gate abandons the whole send after this.
    timeoutMs: perPost * 4,
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      if (!m.alert) return { ok: true, detail: `${where}: no finding events in ${m.rendered.id}` };
      let events: LifecycleEvent[];
      try {
        events = lifecycleEvents(m.alert, { dashboardUrl: options.dashboardUrl });
      } catch (error) {
        return { ok: false, retryable: false, error: `${where}: alert ${m.alert.id} gives no valid event: ${errorMessage(error)}` };
      }
      for (const event of events) {
        const outcome = await post(options, where, event);
        if (!outcome.ok) return outcome;
      }
      return { ok: true, detail: events.length === 0 ? `${where}: no finding events in ${m.alert.id}` : `${where} took ${events.length} event(s)` };
    },
  };
}
