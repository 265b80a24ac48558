/**
 * The optional chat webhook (ALERT_WEBHOOK_URL): the same content as the email, as a Teams
 * Adaptive Card or Slack Block Kit message. Exactly once needs the receiver's help, so every POST
 * names what it is: an `Idempotency-Key` header, `{alert id}.{requeue generation}` (the digest:
 * `{digest id}.0`), and the same id and generation in the payload (Teams: a TextBlock; Slack: a
 * context block and `metadata`). The delivery loop records this channel on the row the moment the
 * POST succeeds (before anything else) and never repeats it. The one window left: a sender that
 * dies, or a store that drops that write, after the POST arrived posts again, with the same key,
 * once the row's claim expires (5 minutes; a digest's, 10 minutes); a
 * receiver that keeps the keys it saw folds it. Incoming webhooks of Teams and Slack ignore the
 * header. The URL carries the webhook's secret: it never appears in an error.
 */
import type { WebhookFormat } from "../../config/alert-settings.js";
import { idempotencyKeyFor } from "../ids.js";
import { slackPayload } from "../render/slack.js";
import { teamsPayload } from "../render/teams.js";
import { isRetryableStatus, retryAfterMs } from "../../retry/backoff.js";
import { postJson } from "./post.js";
import type { Channel, OutgoingMessage, SendOutcome } from "./types.js";
import { redact } from "../../errors/redact.js";

interface WebhookChannelOptions {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

const TEAMS_THROTTLED = /HTTP error 429/i;

export function webhookChannel(options: WebhookChannelOptions): Channel {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const where = `${options.format} webhook (${new URL(options.url).host})`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    name: "webhook",
    kind: "chat",
    timeoutMs,
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const key = idempotencyKeyFor(m.rendered.id, m.rendered.generation);
      const ref = { id: m.rendered.id, generation: m.rendered.generation, key };
      const payload = options.format === "slack" ? slackPayload(m.rendered.document, ref) : teamsPayload(m.rendered.document, ref);
      const response = await postJson({ url: options.url, body: payload, idempotencyKey: key, timeoutMs, fetch: doFetch, where });
      if ("retryable" in response) return response;
      // Drain the body so the connection is reused; its text helps explain a refusal.
      const body = (await response.text().catch(() => "")).slice(0, 300);
      // Teams connectors do not answer a throttled POST with 429: they answer 2xx with "Microsoft
      // Teams endpoint returned HTTP error 429" in the body ("Rate limiting for connectors",
      // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
      // Counting that as sent would lose the message; it is a throttle like any 429.
      if (response.ok && options.format === "teams" && TEAMS_THROTTLED.test(body))
        return { ok: false, retryable: true, throttled: true, error: `${where} answered ${response.status}, throttled (HTTP error 429 in its body)` };
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
