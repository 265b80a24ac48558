/**
 * A plain text table for terminals and logs: columns padded to their widest cell, no colours.
 * Cells are tenant values (names, UPNs, policy names): each is shown on one line with controls,
 * bidi and invisible characters as visible escapes (`\x1B`, `\n`, `<U+202E>`), so no cell can
 * break its row, move the cursor or reorder the columns after it.
 */
import { safeText } from "../lib/text/safe.js";

interface TableOptions {
  /** Columns to right-align (numbers). */
  readonly right?: readonly number[];
  /** Longest a cell may be before it is cut with "…" (long policy names would wrap every row). */
  readonly maxWidth?: number;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, Math.max(1, max - 1)) + "…" : text;
}

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const max = options.maxWidth ?? 60;
  const cells = [header, ...rows].map((r) => header.map((_, i) => cut(safeText(r[i] ?? "").replace(/\s+/g, " "), max)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const right = new Set(options.right ?? []);
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n") + "\n";
}
