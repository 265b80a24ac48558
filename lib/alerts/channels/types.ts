/** A way an alert leaves the system. Each send is idempotent per message id, or as close as the target allows. */
import type { OutboxAlert } from "../../model/state.js";
import type { RenderedEmail } from "../render/index.js";

export interface OutgoingMessage {
  readonly rendered: RenderedEmail;
  readonly from: string;
  /** De-duplicated recipients (the tenant's plus ALERT_TO). */
  readonly to: readonly string[];
  /** The send time, for the Date header. */
  readonly date: Date;
  /** The alert row this message is for (absent for a digest or a roll-up): what the lifecycle webhook posts events of. */
  readonly alert?: OutboxAlert;
}

export type SendOutcome =
  | { readonly ok: true; readonly detail: string }
  | {
      readonly ok: false;
      /** False when repeating the same request cannot succeed (bad request, the service said Failed). */
      readonly retryable: boolean;
      /** For people and the row's LastError; never contains a secret. */
      readonly error: string;
      /** What the service asked for (Retry-After), in ms. */
      readonly retryAfterMs?: number;
      /** The service said "too many requests" (429): a wait, not a failure; it never counts as an attempt. */
      readonly throttled?: boolean;
      /** No answer within the channel's deadline: a failure, and a sign the next send would hang too. */
      readonly timedOut?: true;
    };

export interface Channel {
  /** Recorded on the row once this channel has delivered: lower-case, e.g. "acs", "eml", "webhook". */
  readonly name: string;
  /**
   * "chat": the webhook, which only the roll-up uses for alerts written since roll-ups (one post per window);
   * "events": the lifecycle webhook, which takes every alert row itself (never a roll-up); absent: email.
   */
  readonly kind?: "chat" | "events";
  /** How long one send may take before it is abandoned as a retryable failure of this channel (the gate's deadline). */
  readonly timeoutMs?: number;
  send(message: OutgoingMessage): Promise<SendOutcome>;
}
