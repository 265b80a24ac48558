/**
 * The property paths an OData `$filter` or `$orderby` expression names, for the contract check:
 * `status/errorCode eq 50076 and targetResources/any(t: t/id eq 'x')` names `status/errorCode`,
 * `targetResources` and `targetResources/id`. A lambda's variable stands for an element of its
 * collection; literals, operators and the built-in functions (`startswith(…)`) name nothing.
 */

type Token = { kind: "name" | "literal" | "punct"; text: string };

const KEYWORDS = new Set(["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "has", "in", "add", "sub", "mul", "div", "mod", "true", "false", "null"]);
const LAMBDAS = new Set(["any", "all"]);

/** Splits an expression into names (`a.b`), literals (strings, numbers, dates, GUIDs) and punctuation. */
function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      for (; j < expr.length; j++) {
        if (expr[j] === "'") {
          if (expr[j + 1] === "'") j++;
          else break;
        }
      }
      if (j >= expr.length) throw new Error(`unterminated string literal at ${i}`);
      tokens.push({ kind: "literal", text: expr.slice(i, j + 1) });
      i = j + 1;
    } else if ("()/,:".includes(c)) {
      tokens.push({ kind: "punct", text: c });
      i++;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?[0-9][0-9A-Za-z:.+-]*/.exec(expr.slice(i));
      if (!m) throw new Error(`unexpected '${c}' at ${i}`);
      tokens.push({ kind: "literal", text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_$@]/.test(c)) {
      const m = /^[A-Za-z_$@][A-Za-z0-9_.]*/.exec(expr.slice(i))!;
      // A GUID starting with a letter is a literal, not a name.
      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(expr.slice(i));
      if (guid) {
        tokens.push({ kind: "literal", text: guid[0] });
        i += guid[0].length;
      } else {
        tokens.push({ kind: KEYWORDS.has(m[0]) ? "literal" : "name", text: m[0] });
        i += m[0].length;
      }
    } else {
      throw new Error(`unexpected '${c}' at ${i}`);
    }
  }
  return tokens;
}

/** A path as named from the resource's type: `["targetResources", "id"]` (a lambda variable replaced by its collection). */
export type PropertyPath = readonly string[];

/** Every property path the expression names, each once, in order of appearance. */
export function filterPaths(expr: string): PropertyPath[] {
  const tokens = tokenize(expr);
  const out = new Map<string, PropertyPath>();
  const emit = (p: PropertyPath): void => void out.set(p.join("/"), p);
  let i = 0;
  const parseUntilClose = (scope: ReadonlyMap<string, PropertyPath>): void => {
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t.kind === "punct" && t.text === ")") return;
      if (t.kind === "punct" && t.text === "(") {
        i++;
        parseUntilClose(scope);
        i++;
        continue;
      }
      if (t.kind !== "name") {
        i++;
        continue;
      }
      const segments = [t.text];
      i++;
      while (tokens[i]?.text === "/" && tokens[i + 1]?.kind === "name") {
        segments.push(tokens[i + 1]!.text);
        i += 2;
      }
      const open = tokens[i]?.text === "(";
      const last = segments[segments.length - 1]!;
      if (open && segments.length === 1) {
        // A built-in function (startswith, contains, …): its arguments are expressions.
        i++;
        parseUntilClose(scope);
        i++;
        continue;
      }
      const lambda = open && LAMBDAS.has(last);
      const named = lambda ? segments.slice(0, -1) : segments;
      const [head, ...rest] = named;
      const resolved = [...(scope.get(head!) ?? [head!]), ...rest];
      if (resolved.length > 0) emit(resolved);
      if (!lambda) continue;
      i++;
      const variable = tokens[i]?.kind === "name" && tokens[i + 1]?.text === ":" ? tokens[i]!.text : undefined;
      if (variable) i += 2;
      parseUntilClose(variable ? new Map([...scope, [variable, resolved]]) : scope);
      i++;
    }
  };
  parseUntilClose(new Map());
  if (i < tokens.length) throw new Error(`unbalanced ')' in ${expr}`);
  return [...out.values()];
}

/** The property paths of `$orderby`: `createdDateTime desc, status/errorCode`. */
export function orderByPaths(expr: string): PropertyPath[] {
  return splitTopLevel(expr, ",")
    .map((item) => item.trim().replace(/\s+(asc|desc)$/i, ""))
    .filter((item) => item !== "")
    .map((item) => item.split("/"));
}

/** Splits at `separator` outside parentheses and string literals: `a($select=b,c),d` → `a($select=b,c)`, `d`. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
