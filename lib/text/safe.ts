/**
 * Text safety for values that come from a tenant (policy names, display names, UPNs, group
 * names): they are hostile. A name may carry terminal escape sequences (ESC ] 0 ; … BEL sets the
 * window title, OSC 52 writes the clipboard, CSI moves the cursor or colours text, CR overwrites
 * a line), bidi controls that reorder what is shown around them (U+202E RIGHT-TO-LEFT OVERRIDE),
 * or invisible characters that make two names look alike. Each such character is shown as a
 * visible escape instead — `\x1B`, `\n`, `<U+202E>` — so what an operator reads is what is there.
 *
 * Unsafe: every control (Cc: C0, DEL, C1), every format character (Cf: bidi embeddings,
 * overrides, isolates and marks, zero-width space/joiners, word joiner, soft hyphen, BOM, tag
 * characters…), the line and paragraph separators (U+2028/U+2029) and the Hangul fillers, which
 * render as blanks. Backslashes and `<` are left alone: a name that merely looks like an escape is
 * harmless text.
 */

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/gu;
const UNSAFE_BUT_LINE_BREAKS = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/gu;
const UNSAFE_BUT_WHITESPACE = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0]/gu;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, "0");

/** `\x1B` for a control up to U+009F (`\n`, `\r`, `\t` by name), `<U+202E>` for anything else. */
function visible(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return NAMED[c] ?? (cp <= 0x9f ? `\\x${hex(cp, 2)}` : `<U+${hex(cp, 4)}>`);
}

/** One value, on one line: every unsafe character (line breaks and tabs too) as a visible escape. */
export function safeText(value: string): string {
  return value.replace(UNSAFE, visible);
}

/** Text we composed of safe parts, keeping its line breaks: a last guard before a terminal. */
export function safeLines(text: string): string {
  return text.replace(UNSAFE_BUT_LINE_BREAKS, visible);
}

/**
 * For markup where tabs and line breaks are only whitespace (HTML, chat Markdown): the other
 * unsafe characters as visible escapes, so a bidi override cannot reorder what follows it.
 */
export function safeMarkupText(value: string): string {
  return value.replace(UNSAFE_BUT_WHITESPACE, visible);
}

/** The first unsafe character of a value: what it is and where (1-based, in characters). */
export function firstUnsafe(value: string): { readonly codePoint: string; readonly position: number } | undefined {
  const chars = Array.from(value);
  const position = chars.findIndex((c) => c.match(UNSAFE) !== null);
  const c = chars[position];
  return c === undefined ? undefined : { codePoint: `U+${hex(c.codePointAt(0) ?? 0, 4)}`, position: position + 1 };
}

/**
 * Every string in plain data (objects, arrays) through safeText: a formatter takes the data it
 * shows through this once, so no value reaches a terminal raw however it is laid out.
 */
export function safeStrings<T>(value: T): T {
  if (typeof value === "string") return safeText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => safeStrings(v)) as T;
  if (value !== null && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, safeStrings(v as unknown)])) as T;
  }
  return value;
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, C1, bidi and invisible
 * characters (and U+2028/U+2029) raw. They can only occur inside strings, where `\uXXXX` is the
 * same value: the output parses to exactly the same data and is safe to print.
 */
export function safeJson(value: unknown): string {
  const escape = (c: string) => Array.from({ length: c.length }, (_, i) => `\\u${hex(c.charCodeAt(i), 4).toLowerCase()}`).join("");
  return JSON.stringify(value, null, 2).replace(UNSAFE_BUT_LINE_BREAKS, escape) + "\n";
}
