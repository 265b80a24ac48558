/**
 * A MessageDocument as plain text: no markup at all (a value that looks like HTML is shown as
 * typed, which is what a plain-text reader expects), lines kept short enough to read on a phone.
 * Every string is one line through oneLine (a tenant name cannot start a forged line) with
 * controls, bidi and invisible characters shown as visible escapes (a text part may be read in a
 * terminal mail client).
 */
import { oneLine } from "../escape.js";
import type { Block, Fact, MessageDocument } from "./document.js";

const RULE = "-".repeat(60);

function facts(list: readonly Fact[]): string[] {
  const width = Math.min(28, Math.max(0, ...list.map((f) => f.label.length)));
  return list.map((f) => `${`${oneLine(f.label)}:`.padEnd(width + 2)}${oneLine(f.value)}`);
}

function block(b: Block): string[] {
  const out = [oneLine(b.title).toUpperCase(), "", oneLine(b.lead), ""];
  if (b.facts.length > 0) out.push(...facts(b.facts), "");
  for (const l of b.lists) out.push(`${oneLine(l.title)}:`, ...l.items.map((i) => `  - ${oneLine(i)}`), "");
  if (b.steps.length > 0) out.push("How to fix it:", ...b.steps.map((s, i) => `  ${i + 1}. ${oneLine(s)}`), "");
  for (const l of b.links) out.push(`${oneLine(l.label)}:`, `  ${oneLine(l.url)}`, "");
  return out;
}

export function renderText(doc: MessageDocument): string {
  const heading = oneLine(doc.heading);
  const lines = [heading, "=".repeat(Math.min(60, Math.max(heading.length, 10))), "", ...doc.intro.map(oneLine), "", ...facts(doc.facts), ""];
  for (const b of doc.blocks) lines.push(RULE, "", ...block(b));
  for (const l of doc.links) lines.push(`${oneLine(l.label)}: ${oneLine(l.url)}`, "");
  lines.push(RULE, ...doc.footer.map(oneLine), "");
  return lines.join("\n");
}
