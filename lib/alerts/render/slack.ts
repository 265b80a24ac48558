/**
 * A MessageDocument as a Slack incoming-webhook message (Block Kit). In mrkdwn only `&`, `<`, `>`
 * are control characters (`<!channel>` pings everyone, `<url|text>` is a link), so every value is
 * escaped for those; headers are plain_text. Slack's limits are respected: 50 blocks, 3000
 * characters per section, 10 fields, 150 per header.
 */
import { escapeSlack, oneLine } from "../escape.js";
import type { Link, MessageDocument } from "./document.js";
import type { DeliveryRef } from "./teams.js";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/**
 * `verbatim`: Slack otherwise turns every bare URL into a link, and the text quotes tenants' names
 * (a policy may be named with a URL); our own links are explicit `<url|label>`, which it still reads.
 */
const mrkdwn = (text: string): Json => ({ type: "mrkdwn", text, verbatim: true });
const section = (text: string): Json => ({ type: "section", text: mrkdwn(clip(text, 3000)) });
/** A link is `<url|label>`: our own URL (no `|` or `>` in it once encoded), the label escaped. */
const slackLink = (l: Link): string => `<${l.url.replace(/[|>]/g, encodeURIComponent)}|${escapeSlack(l.label)}>`;

/**
 * The delivery reference, twice: a context block people see, and message `metadata`
 * (`event_type` + `event_payload`), which Slack's incoming webhooks accept
 * (https://docs.slack.dev/messaging/message-metadata; `metadata` in @slack/webhook's IncomingWebhookSendArguments).
 */
const refParts = (ref: DeliveryRef): { context: Json; metadata: Json } => ({
  context: { type: "context", elements: [mrkdwn(escapeSlack(`Alert ${ref.id} · delivery ${ref.generation}`))] },
  metadata: { event_type: "drift_monitor_alert", event_payload: { alert_id: ref.id, generation: ref.generation, idempotency_key: ref.key } },
});

export function slackPayload(doc: MessageDocument, ref?: DeliveryRef): Json {
  const blocks: Json[] = [
    { type: "header", text: { type: "plain_text", text: clip(oneLine(doc.heading), 150), emoji: false } },
    ...doc.intro.map((p) => section(escapeSlack(p))),
    {
      type: "section",
      fields: doc.facts.slice(0, 10).map((f) => mrkdwn(clip(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, 2000))),
    },
  ];
  for (const b of doc.blocks) {
    const lines = [`*${escapeSlack(b.title)}*`, escapeSlack(b.lead)];
    for (const f of b.facts) lines.push(`• ${escapeSlack(f.label)}: ${escapeSlack(f.value)}`);
    for (const l of b.lists) lines.push(`*${escapeSlack(l.title)}*`, ...l.items.map((i) => `• ${escapeSlack(i)}`));
    if (b.steps.length > 0) lines.push("*How to fix it*", ...b.steps.map((s, i) => `${i + 1}. ${escapeSlack(s)}`));
    lines.push(...b.links.map(slackLink));
    blocks.push({ type: "divider" }, section(lines.join("\n")));
  }
  if (doc.links.length > 0) blocks.push(section(doc.links.map(slackLink).join("  ·  ")));
  if (!ref) return { text: escapeSlack(doc.subject), blocks: blocks.slice(0, 50) };
  const { context, metadata } = refParts(ref);
  return { text: escapeSlack(doc.subject), blocks: [...blocks.slice(0, 49), context], metadata };
}
