/** The channels the settings ask for: ACS or `.eml` for email, plus the webhook when set. */
import type { AlertSettings, WebhookFormat } from "../../config/alert-settings.js";
import { acsChannel, createEmailClient, type AcsClientOptions, type EmailSender } from "./acs.js";
import { redact } from "../../errors/redact.js";
import { emlChannel } from "./eml.js";
import type { Channel } from "./types.js";
import { lifecycleChannel } from "./lifecycle.js";
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

/**
 * The ACS channel, or, when the SDK will not even make a client of the settings, a channel that
 * says why at every send: the webhook beside it still goes, and the email waits dead-lettered
 * (requeued once the setting is fixed) instead of the whole delivery failing.
 */
function emailChannel(target: Exclude<AlertSettings["email"], { kind: "eml" }>, options: ChannelOptions): Channel {
  let client: EmailSender;
  try {
    client = options.emailClient ?? createEmailClient(target, options);
  } catch (error) {
    const reason = redact(error instanceof Error ? error.message : String(error));
    const failure = { ok: false, retryable: false, error: `ACS client could not be made from the settings: ${reason}` } as const;
    return { name: "acs", send: () => Promise.resolve(failure) };
  }
  return acsChannel(client, { pollIntervalMs: options.pollIntervalMs, now: options.now, timeoutMs: options.acsTimeoutMs });
}

export function createChannels(settings: AlertSettings, options: ChannelOptions = {}): Channel[] {
  const channels: Channel[] = [];
  if (settings.email.kind === "eml") {
    channels.push(emlChannel(settings.outboxDir));
  } else {
    channels.push(emailChannel(settings.email, options));
  }
  if (settings.webhook?.unresolved !== undefined) {
    channels.push(unresolvedWebhook(settings.webhook.unresolved, settings.webhook.format));
  } else if (settings.webhook?.format === "lifecycle") {
    const { url } = settings.webhook;
    channels.push(lifecycleChannel({ url, dashboardUrl: settings.dashboardUrl, fetch: options.fetch, now: options.now }));
  } else if (settings.webhook) {
    channels.push(webhookChannel({ url: settings.webhook.url, format: settings.webhook.format, fetch: options.fetch, now: options.now }));
  }
  return channels;
}

/** The webhook whose URL is still an unresolved Key Vault reference: each send fails, to be retried, and email is not held. */
function unresolvedWebhook(reason: string, format: WebhookFormat): Channel {
  return {
    name: "webhook",
    kind: format === "lifecycle" ? "events" : "chat",
    send: () => Promise.resolve({ ok: false, retryable: true, error: reason }),
  };
}

export { type EmailSender } from "./acs.js";
export { emlFileName } from "./eml.js";
