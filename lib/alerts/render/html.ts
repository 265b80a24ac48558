/**
 * A MessageDocument as HTML that survives Outlook (Word's renderer): nested presentation tables,
 * inline styles only, widths in attributes, no CSS classes, no images, a 600px column that
 * shrinks on a phone (max-width + width:100%), and an MSO-only fixed-width wrapper since Outlook
 * ignores max-width. Every string is escaped here, at the point it meets markup.
 */
import { escapeHtml } from "../escape.js";
import { TONE_COLOURS, TONE_LABEL, type Block, type Fact, type Link, type MessageDocument } from "./document.js";

const FONT = "font-family:'Segoe UI',Helvetica,Arial,sans-serif;";
const TEXT = `${FONT}font-size:15px;line-height:22px;color:#1f2937;`;
const SMALL = `${FONT}font-size:12px;line-height:18px;color:#6b7280;`;

/** Only links we built go into href; anything else is shown as text. */
function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function link(l: Link): string {
  const href = safeHref(l.url);
  if (!href) return escapeHtml(l.label);
  return `<a href="${escapeHtml(href)}" style="color:#175cd3;text-decoration:underline;" target="_blank">${escapeHtml(l.label)}</a>`;
}

function factsTable(facts: readonly Fact[]): string {
  if (facts.length === 0) return "";
  const rows = facts
    .map(
      (f) =>
        `<tr><td valign="top" width="170" style="${SMALL}padding:4px 12px 4px 0;width:170px;">${escapeHtml(f.label)}</td>` +
        `<td valign="top" style="${TEXT}font-size:14px;padding:4px 0;word-break:break-word;">${escapeHtml(f.value)}</td></tr>`,
    )
    .join("\n");
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0;">\n${rows}\n</table>`;
}

function list(items: readonly string[], ordered: boolean): string {
  const tag = ordered ? "ol" : "ul";
  const lis = items.map((i) => `<li style="${TEXT}font-size:14px;margin:0 0 6px 0;">${escapeHtml(i)}</li>`).join("\n");
  return `<${tag} style="margin:4px 0 8px 0;padding:0 0 0 22px;">\n${lis}\n</${tag}>`;
}

function subheading(text: string): string {
  return `<p style="${FONT}font-size:13px;line-height:18px;font-weight:bold;color:#374151;margin:12px 0 2px 0;">${escapeHtml(text)}</p>`;
}

function block(b: Block): string {
  const c = TONE_COLOURS[b.tone];
  const parts = [
    `<p style="${FONT}font-size:17px;line-height:24px;font-weight:bold;color:${c.strong};margin:0 0 6px 0;">${escapeHtml(b.title)}</p>`,
    `<p style="${TEXT}margin:0 0 4px 0;">${escapeHtml(b.lead)}</p>`,
    factsTable(b.facts),
    ...b.lists.flatMap((l) => [subheading(l.title), list(l.items, false)]),
    ...(b.steps.length > 0 ? [subheading("How to fix it"), list(b.steps, true)] : []),
    ...b.links.map((l) => `<p style="${TEXT}font-size:14px;margin:4px 0;">${link(l)}</p>`),
  ].filter((p) => p !== "");
  return (
    `<tr><td style="padding:0 24px 16px 24px;">\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-left:4px ` +
    `solid ${c.strong};background-color:${c.pale};">\n` +
    `<tr><td style="padding:14px 16px;">\n${parts.join("\n")}\n</td></tr>\n</table>\n</td></tr>`
  );
}

export function renderHtml(doc: MessageDocument): string {
  const c = TONE_COLOURS[doc.tone];
  const rows = [
    `<tr><td style="background-color:${c.strong};padding:14px ` +
      `24px;${FONT}font-size:12px;line-height:16px;letter-spacing:1px;text-transform:uppercase;color:#ffffff;font-weight:bold;">Drift Monitor ` +
      `· ${escapeHtml(TONE_LABEL[doc.tone])}</td></tr>`,
    `<tr><td style="padding:20px 24px 4px 24px;"><h1 ` +
      `style="${FONT}font-size:22px;line-height:28px;color:#111827;margin:0;font-weight:bold;">${escapeHtml(doc.heading)}</h1></td></tr>`,
    ...doc.intro.map((p) => `<tr><td style="padding:8px 24px 0 24px;"><p style="${TEXT}margin:0;">${escapeHtml(p)}</p></td></tr>`),
    `<tr><td style="padding:8px 24px 12px 24px;">${factsTable(doc.facts)}</td></tr>`,
    ...doc.blocks.map(block),
    ...doc.links.map((l) => `<tr><td style="padding:0 24px 12px 24px;${TEXT}">${link(l)}</td></tr>`),
    `<tr><td style="padding:16px 24px 20px 24px;border-top:1px solid ` +
      `#e5e7eb;">${doc.footer.map((f) => `<p style="${SMALL}margin:0 0 4px 0;">${escapeHtml(f)}</p>`).join("")}</td></tr>`,
  ];
  return [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    "<head>",
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<meta name="x-apple-disable-message-reformatting" />',
    `<title>${escapeHtml(doc.subject)}</title>`,
    "</head>",
    '<body style="margin:0;padding:0;background-color:#f3f4f6;">',
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#f3f4f6;">${escapeHtml(doc.preheader)}</div>`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">',
    '<tr><td align="center" style="padding:16px 8px;">',
    '<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" ' +
      'style="max-width:600px;width:100%;background-color:#ffffff;border:1px solid #e5e7eb;">',
    ...rows,
    "</table>",
    "<!--[if mso]></td></tr></table><![endif]-->",
    "</td></tr>",
    "</table>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
