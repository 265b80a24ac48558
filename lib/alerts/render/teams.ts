/**
 * A MessageDocument as a Teams incoming-webhook message carrying an Adaptive Card (the format
 * both Workflows webhooks and the older connectors accept). Adaptive Cards render Markdown in
 * every TextBlock and fact, and no HTML, so each value is Markdown-escaped (which also shows bidi,
 * invisible and control characters as visible escapes); links are card actions built from our
 * own URLs, never from tenant text.
 */
import { escapeMarkdown, oneLine } from "../escape.js";
import type { Fact, Link, MessageDocument, Tone } from "./document.js";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const COLOUR: Record<Tone, string> = { danger: "Attention", warning: "Warning", success: "Good", info: "Accent" };
const MAX_ACTIONS = 5;

const textBlock = (text: string, extra: Record<string, Json> = {}): Json => ({ type: "TextBlock", text, wrap: true, ...extra });
const factSet = (facts: readonly Fact[]): Json => ({
  type: "FactSet",
  facts: facts.map((f) => ({ title: escapeMarkdown(f.label), value: escapeMarkdown(f.value) })),
});

/** Which alert (row id and requeue generation) a message is, for a receiver to fold repeats by. */
export interface DeliveryRef {
  readonly id: string;
  readonly generation: number;
  readonly key: string;
}

/**
 * The delivery reference goes in the card body, where the Adaptive Card schema allows it: a small,
 * subtle TextBlock whose element `id` carries the key (every element may have an `id`).
 * Nothing is added at the top level, which Teams does not define for extra data.
 */
const refBlock = (ref: DeliveryRef): Json =>
  textBlock(escapeMarkdown(`Alert ${ref.id} · delivery ${ref.generation}`), { id: `drift-monitor-${ref.key}`, size: "Small", isSubtle: true });

export function teamsPayload(doc: MessageDocument, ref?: DeliveryRef): Json {
  const body: Json[] = [
    textBlock(escapeMarkdown(doc.heading), { size: "Large", weight: "Bolder", color: COLOUR[doc.tone] }),
    ...doc.intro.map((p) => textBlock(escapeMarkdown(p))),
    factSet(doc.facts),
  ];
  const links: Link[] = [];
  for (const b of doc.blocks) {
    const items: Json[] = [textBlock(escapeMarkdown(b.title), { weight: "Bolder", color: COLOUR[b.tone], size: "Medium" }), textBlock(escapeMarkdown(b.lead))];
    if (b.facts.length > 0) items.push(factSet(b.facts));
    for (const l of b.lists) items.push(textBlock(`**${escapeMarkdown(l.title)}**\n\n${l.items.map((i) => `- ${escapeMarkdown(i)}`).join("\n")}`));
    if (b.steps.length > 0) items.push(textBlock(`**How to fix it**\n\n${b.steps.map((s, i) => `${i + 1}. ${escapeMarkdown(s)}`).join("\n")}`));
    body.push({ type: "Container", separator: true, spacing: "Medium", items });
    links.push(...b.links);
  }
  links.push(...doc.links);
  if (ref) body.push(refBlock(ref));
  const unique = links.filter((l, i) => links.findIndex((x) => x.url === l.url) === i).slice(0, MAX_ACTIONS);
  return {
    type: "message",
    summary: doc.subject,
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body,
          // Action titles are plain text, not Markdown, but carry a policy name: one line, bidi and controls visible.
          actions: unique.map((l) => ({ type: "Action.OpenUrl", title: oneLine(l.label), url: l.url })),
        },
      },
    ],
  };
}
