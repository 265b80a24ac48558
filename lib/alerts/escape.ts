/**
 * Escaping for every target format. Values taken from a tenant (names, policy names, UPNs,
 * reasons) are user input: each renderer passes them through exactly one of these, at the point
 * where they meet markup.
 */

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text content and quoted attribute values in HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/**
 * Slack mrkdwn: only `&`, `<` and `>` are control characters (`<!channel>` would ping everyone,
 * `<url|text>` makes a link); Slack decodes exactly these three entities.
 */
export function escapeSlack(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Teams Adaptive Card TextBlocks always interpret a Markdown subset and no HTML: backslash-escape
 * every Markdown punctuation character so a name cannot become a link, emphasis or a list.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|~<>]/g, (c) => `\\${c}`);
}

/** One line for a header or a chat title: control characters and line breaks become spaces. */
export function oneLine(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}
