/**
 * Escaping for every target format. Values taken from a tenant (names, policy names, UPNs,
 * reasons) are user input: each renderer passes them through exactly one of these, at the point
 * where they meet markup.
 *
 * Each also shows controls, bidi overrides/isolates and invisible characters as visible escapes
 * (`<U+202E>`, `\x1B`; lib/text/safe.ts) before the markup escaping, so a name cannot reorder the
 * text around it or hide what it is. Visible markers rather than HTML `<bdi>` isolation: Outlook's
 * Word renderer ignores `<bdi>` and `unicode-bidi`, the text part and chat have no isolation at
 * all, and an operator should see that a name carries an override.
 */
import { safeMarkupText, safeText } from "../text/safe.js";

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text content and quoted attribute values in HTML. */
export function escapeHtml(value: string): string {
  return safeMarkupText(value).replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/**
 * Slack mrkdwn: only `&`, `<` and `>` are control characters (`<!channel>` would ping everyone,
 * `<url|text>` makes a link); Slack decodes exactly these three entities.
 */
export function escapeSlack(value: string): string {
  return safeMarkupText(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Teams Adaptive Card TextBlocks always interpret a Markdown subset and no HTML: backslash-escape
 * every Markdown punctuation character so a name cannot become a link, emphasis or a list.
 */
export function escapeMarkdown(value: string): string {
  return safeMarkupText(value).replace(/[\\`*_{}[\]()#+\-.!|~<>]/g, (c) => `\\${c}`);
}

/**
 * One line for a header, a subject or a chat title: line breaks and tabs become spaces, any other
 * control, bidi or invisible character a visible escape (ESC → `\x1B`, U+202E → `<U+202E>`).
 */
export function oneLine(value: string): string {
  return safeText(value.replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, " "))
    .replace(/\s{2,}/g, " ")
    .trim();
}
