/**
 * The tickets channel: a per-row delivery channel ("events", like the lifecycle webhook) that
 * applies each finding event of an alert row to the tenant's ticket in its mapped PSA
 * (lib/tickets/apply.ts). Being a channel of the outbox delivery, it inherits what the delivery
 * guarantees: a PSA that fails keeps the row due for this channel alone (email and the webhook are
 * recorded as sent and not held), and nothing is dropped on error. A tenant without a mapping has
 * nothing to do. The events of a row are applied in order; a failure stops the rest, and the
 * retry skips those already applied (their idempotency keys are recorded per finding).
 */
import { errorMessage } from "../errors/text.js";
import { redact } from "../errors/redact.js";
import { lifecycleEvents, type LifecycleEvent } from "../alerts/lifecycle/event.js";
import type { Channel, OutgoingMessage, SendOutcome } from "../alerts/channels/types.js";
import { PsaError } from "./psa/transport.js";
import type { PsaClient, PsaVendor } from "./psa/types.js";
import { applyEvent, MappingError, type OnClosedByPerson } from "./apply.js";
import { TicketConflict, type TicketStore } from "./store.js";
import { ClaimPending } from "./claim.js";

interface TicketsChannelOptions {
  readonly store: TicketStore;
  readonly clients: Partial<Record<PsaVendor, PsaClient>>;
  readonly onClosed?: OnClosedByPerson;
  readonly dashboardUrl?: string;
  /** The whole row's deadline (the gate's): a row carries a handful of findings, each a few PSA calls. */
  readonly timeoutMs?: number;
  /** A claim's life (claim.ts; tests shorten it). */
  readonly claimTtlMs?: number;
}

function failure(error: unknown, where: string): SendOutcome {
  const text = redact(`${where}: ${errorMessage(error)}`);
  if (error instanceof PsaError) {
    return {
      ok: false,
      retryable: error.retryable,
      error: text,
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      ...(error.status === 429 && { throttled: true }),
    };
  }
  if (error instanceof MappingError) return { ok: false, retryable: false, error: text };
  // Another deliverer opening the ticket: try again once its claim is over (an attempt of this row, not a wait for the whole channel).
  if (error instanceof ClaimPending) return { ok: false, retryable: true, error: text, retryAfterMs: error.retryAfterMs };
  // A conflict (another deliverer on the same finding) and storage errors: try again.
  return { ok: false, retryable: true, error: text, ...(error instanceof TicketConflict && { retryAfterMs: 1_000 }) };
}

export function ticketsChannel(options: TicketsChannelOptions): Channel {
  return {
    name: "tickets",
    kind: "events",
    timeoutMs: options.timeoutMs ?? 180_000,
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      if (!m.alert) return { ok: true, detail: `tickets: no finding events in ${m.rendered.id}` };
      const alert = m.alert;
      let events: LifecycleEvent[];
      try {
        events = lifecycleEvents(alert, { dashboardUrl: options.dashboardUrl });
      } catch (error) {
        return { ok: false, retryable: false, error: `tickets: alert ${alert.id} gives no valid event: ${errorMessage(error)}` };
      }
      if (events.length === 0) return { ok: true, detail: `tickets: no finding events in ${alert.id}` };
      let mapping;
      try {
        mapping = await options.store.mapping(alert.tenantId);
      } catch (error) {
        return failure(error, "tickets");
      }
      if (!mapping) return { ok: true, detail: `tickets: tenant ${alert.tenantId} is mapped to no PSA company` };
      const client = options.clients[mapping.psa];
      if (!client)
        return { ok: false, retryable: true, error: `tickets: tenant ${alert.tenantId} is mapped to ${mapping.psa}, which is not configured (PSA_* settings)` };
      const deps = { store: options.store, client, onClosed: options.onClosed ?? "reopen", claimTtlMs: options.claimTtlMs };
      const done: string[] = [];
      for (const event of events) {
        try {
          done.push(await applyEvent(deps, mapping, event));
        } catch (error) {
          return failure(error, `tickets (${mapping.psa}) ${event.event} of ${event.findingKey.slice(0, 12)}`);
        }
      }
      return { ok: true, detail: `tickets (${mapping.psa}): ${done.join("; ")}` };
    },
  };
}
