/**
 * The small part of OData the simulated endpoints need: $select, $top, $skiptoken paging and
 * `$filter` expressions of the shape `field eq 'literal' and createdDateTime ge 2026-…Z`, with
 * `or`, parentheses and `any` lambdas (`signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`,
 * or a single type).
 */
import type { JsonObject } from "./types.js";

export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get("$select");
  if (raw === null || raw.trim() === "") return undefined;
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Keeps the selected properties (case-insensitive like Graph) and every `@odata.*` annotation. */
export function applySelect(obj: JsonObject, select: string[] | undefined): JsonObject {
  if (!select) return obj;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith("@odata.") || wanted.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}

/** $top as a positive integer capped at `max`; `undefined` when absent; `null` when malformed. */
export function parseTop(query: URLSearchParams, max: number): number | undefined | null {
  const raw = query.get("$top");
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return null;
  return Math.min(n, max);
}

/** The opaque $skiptoken the sim puts in next links: the offset of the next page. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(`sim:${offset}`, "utf8").toString("base64url");
}

export function decodeSkipToken(token: string | null): number | null {
  if (token === null) return 0;
  const m = /^sim:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  return m ? Number(m[1]) : null;
}

export type Comparison = { field: string; op: "eq" | "ne" | "ge" | "gt" | "le" | "lt"; value: string; quoted: boolean };

/**
 * A `$filter` expression: comparisons joined by `and` / `or` (`and` binds tighter), parentheses,
 * and the lambda `collection/any(v: expression)` over a collection of primitives, where the
 * expression compares the variable, alone or joined by `or`
 * (`signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`).
 */
export type FilterNode =
  ({ kind: "cmp" } & Comparison) | { kind: "and" | "or"; items: FilterNode[] } | { kind: "any"; collection: string; variable: string; body: FilterNode };

/** Parses a `$filter` expression; null for anything outside the grammar above. */
export function parseFilterExpression(raw: string): FilterNode | null {
  const p = { rest: raw.trim() };
  const node = parseOr(p);
  return node && p.rest.trim() === "" ? node : null;
}

type Cursor = { rest: string };

function parseOr(p: Cursor): FilterNode | null {
  return parseJoined(p, "or", parseAnd);
}

function parseAnd(p: Cursor): FilterNode | null {
  return parseJoined(p, "and", parsePrimary);
}

function parseJoined(p: Cursor, word: "and" | "or", next: (p: Cursor) => FilterNode | null): FilterNode | null {
  const items: FilterNode[] = [];
  for (;;) {
    const item = next(p);
    if (!item) return null;
    items.push(item);
    p.rest = p.rest.trimStart();
    const m = new RegExp(`^${word}\\s+`, "i").exec(p.rest);
    if (!m) break;
    p.rest = p.rest.slice(m[0].length);
  }
  return items.length === 1 ? items[0]! : { kind: word, items };
}

function parsePrimary(p: Cursor): FilterNode | null {
  p.rest = p.rest.trimStart();
  if (p.rest.startsWith("(")) {
    p.rest = p.rest.slice(1);
    const inner = parseOr(p);
    p.rest = p.rest.trimStart();
    if (!inner || !p.rest.startsWith(")")) return null;
    p.rest = p.rest.slice(1);
    return inner;
  }
  const lambda = /^([A-Za-z][\w/]*)\/any\(\s*([A-Za-z]\w*)\s*:\s*/.exec(p.rest);
  if (lambda) {
    p.rest = p.rest.slice(lambda[0].length);
    const body = parseOr(p);
    p.rest = p.rest.trimStart();
    if (!body || !p.rest.startsWith(")")) return null;
    p.rest = p.rest.slice(1);
    return { kind: "any", collection: lambda[1]!, variable: lambda[2]!, body };
  }
  const m = /^([A-Za-z][\w/]*)\s+(eq|ne|ge|gt|le|lt)\s+/i.exec(p.rest);
  if (!m) return null;
  p.rest = p.rest.slice(m[0].length);
  let value: string;
  let quoted = false;
  if (p.rest.startsWith("'")) {
    const lit = readStringLiteral(p.rest);
    if (!lit) return null;
    value = lit.value;
    quoted = true;
    p.rest = p.rest.slice(lit.length);
  } else {
    const v = /^[^\s)]+/.exec(p.rest);
    if (!v) return null;
    value = v[0];
    p.rest = p.rest.slice(v[0].length);
  }
  return { kind: "cmp", field: m[1]!, op: m[2]!.toLowerCase() as Comparison["op"], value, quoted };
}

/**
 * Parses `a eq 'x' and b ge 2026-01-01T00:00:00Z`: comparisons joined by `and` only. String
 * literals use OData quoting (a quote inside is doubled). Returns null for anything else.
 */
export function parseFilter(raw: string): Comparison[] | null {
  const node = parseFilterExpression(raw);
  if (!node) return null;
  const items = node.kind === "and" ? node.items : [node];
  const out: Comparison[] = [];
  for (const item of items) {
    if (item.kind !== "cmp") return null;
    const { kind: _kind, ...c } = item;
    out.push(c);
  }
  return out;
}

/** Reads `'…'` with doubled quotes from the start of `s`. */
function readStringLiteral(s: string): { value: string; length: number } | null {
  let i = 1;
  let value = "";
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      if (s[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, length: i + 1 };
    }
    value += c;
    i += 1;
  }
  return null;
}
