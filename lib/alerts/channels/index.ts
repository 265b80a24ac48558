/** The channels the settings ask for: ACS or `.eml` for email, plus the webhook when set. */
import type { AlertSettings } from "../../config/alert-settings.js";
import { acsChannel, createEmailClient, type AcsClientOptions, type EmailSender } from "./acs.js";
import { emlChannel } from "./eml.js";
import type { Channel } from "./types.js";
import { webhookChannel } from "./webhook.js";

export interface ChannelOptions extends AcsClientOptions {
  /** Replaces the EmailClient built from the settings (tests). */
  readonly emailClient?: EmailSender;
  readonly pollIntervalMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** How long one ACS send (POST and polling) may take (acs.ts's default otherwise). */
  readonly acsTimeoutMs?: number;
}

export function createChannels(settings: AlertSettings, options: ChannelOptions = {}): Channel[] {
  const channels: Channel[] = [];
  if (settings.email.kind === "eml") {
    channels.push(emlChannel(settings.outboxDir));
  } else {
    const client = options.emailClient ?? createEmailClient(settings.email, options);
    channels.push(acsChannel(client, { pollIntervalMs: options.pollIntervalMs, now: options.now, timeoutMs: options.acsTimeoutMs }));
  }
  if (settings.webhook?.unresolved !== undefined) {
    channels.push(unresolvedWebhook(settings.webhook.unresolved));
  } else if (settings.webhook) {
    channels.push(webhookChannel({ url: settings.webhook.url, format: settings.webhook.format, fetch: options.fetch, now: options.now }));
  }
  return channels;
}

/** The webhook whose URL is still an unresolved Key Vault reference: each send fails, to be retried, and email is not held. */
function unresolvedWebhook(reason: string): Channel {
  return {
    name: "webhook",
    kind: "chat",
    send: () => Promise.resolve({ ok: false, retryable: true, error: reason }),
  };
}

export { type EmailSender } from "./acs.js";
export { emlFileName } from "./eml.js";
