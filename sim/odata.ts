/**
 * The small part of OData the simulated endpoints need: $select, $top, $skiptoken paging and
 * `$filter` expressions of the shape `field eq 'literal' and createdDateTime ge 2026-…Z`.
 */
import type { JsonObject } from "./types.js";

export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get("$select");
  if (raw === null || raw.trim() === "") return undefined;
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
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
 * Parses `a eq 'x' and b ge 2026-01-01T00:00:00Z`: comparisons joined by `and`. String literals
 * use OData quoting (a quote inside is doubled). Returns null for anything else.
 */
export function parseFilter(raw: string): Comparison[] | null {
  const out: Comparison[] = [];
  let rest = raw.trim();
  for (;;) {
    const m = /^([A-Za-z][\w/]*)\s+(eq|ne|ge|gt|le|lt)\s+/i.exec(rest);
    if (!m) return null;
    rest = rest.slice(m[0].length);
    let value: string;
    let quoted = false;
    if (rest.startsWith("'")) {
      const lit = readStringLiteral(rest);
      if (!lit) return null;
      value = lit.value;
      quoted = true;
      rest = rest.slice(lit.length);
    } else {
      const v = /^[^\s)]+/.exec(rest);
      if (!v) return null;
      value = v[0];
      rest = rest.slice(v[0].length);
    }
    out.push({ field: m[1]!, op: m[2]!.toLowerCase() as Comparison["op"], value, quoted });
    rest = rest.trimStart();
    if (rest === "") return out;
    const and = /^and\s+/i.exec(rest);
    if (!and) return null;
    rest = rest.slice(and[0].length);
  }
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
