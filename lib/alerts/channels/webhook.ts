/**
 * The optional chat webhook (ALERT_WEBHOOK_URL): the same content as the email, as a Teams
 * Adaptive Card or Slack Block Kit message. Incoming webhooks have no idempotency key, so the
 * delivery loop records this channel on the row the moment the POST succeeds (before anything
 * else) and never repeats it. The one window left: a sender that dies after the POST and before
 * that write commits posts again on the next attempt (and a digest, after its 10-minute claim).
 * The URL carries the webhook's secret: it never appears in an error.
 */
import type { WebhookFormat } from "../../config/alert-settings.js";
import { slackPayload } from "../render/slack.js";
import { teamsPayload } from "../render/teams.js";
import { isRetryableStatus, retryAfterMs } from "../../retry/backoff.js";
import type { Channel, OutgoingMessage, SendOutcome } from "./types.js";
import { errorMessage } from "../../errors/text.js";
import { redact } from "../../errors/redact.js";

interface WebhookChannelOptions {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export function webhookChannel(options: WebhookChannelOptions): Channel {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const where = `${options.format} webhook (${new URL(options.url).host})`;
  return {
    name: "webhook",
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const payload = options.format === "slack" ? slackPayload(m.rendered.document) : teamsPayload(m.rendered.document);
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
          redirect: "error",
        });
      } catch (error) {
        return { ok: false, retryable: true, error: `${where}: ${errorMessage(error)}` };
      }
      // Drain the body so the connection is reused; its text helps explain a refusal.
      const body = (await response.text().catch(() => "")).slice(0, 300);
      if (response.ok) return { ok: true, detail: `${where} answered ${response.status}` };
      return {
        ok: false,
        retryable: isRetryableStatus(response.status),
        error: redact(`${where} answered ${response.status}${body ? `: ${body}` : ""}`),
        retryAfterMs: retryAfterMs(response.headers, now()),
        ...(response.status === 429 ? { throttled: true } : {}),
      };
    },
  };
}
