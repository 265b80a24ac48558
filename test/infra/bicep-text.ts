/**
 * Reading infra/ as text: just enough structure (param defaults, the entries of one object
 * literal, role definition ids) for the tests to hold the template to the code, on any machine
 * (bicep-compile.test.ts compiles it for real where the Bicep CLI can be restored). Bicep's object
 * literals put one `key: value` per line, which this relies on.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const INFRA = join(ROOT, "infra");

function walk(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : []));
}

/** Every .bicep file under infra/, by path relative to the repo. */
export function bicepFiles(): Map<string, string> {
  return new Map(walk(INFRA, (n) => n.endsWith(".bicep")).map((f) => [relative(ROOT, f), readFileSync(f, "utf8")]));
}

export function sourceFiles(dir: string): Map<string, string> {
  return new Map(walk(join(ROOT, dir), (n) => /\.(ts|js|json)$/.test(n)).map((f) => [relative(ROOT, f), readFileSync(f, "utf8")]));
}

/** Comments out, strings kept (a `//` inside a string such as a URL stays). */
export function stripComments(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i += 1) {
        const c = line[i];
        if (c === "'" && line[i - 1] !== "\\") inString = !inString;
        if (!inString && c === "/" && line[i + 1] === "/") return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}

/** The text between the `{` that ends `opener` and its matching `}`. */
export function objectAfter(text: string, opener: RegExp): string {
  const m = opener.exec(text);
  if (!m) throw new Error(`No ${opener} in the template`);
  const start = m.index + m[0].length;
  let depth = 1;
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === "{" || text[i] === "[") depth += 1;
    if (text[i] === "}" || text[i] === "]") depth -= 1;
    if (depth === 0) return text.slice(start, i);
  }
  throw new Error(`Unbalanced braces after ${opener}`);
}

/** The top-level `key: value` entries of an object literal's body. */
export function entries(body: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  for (const raw of stripComments(body).split("\n")) {
    const line = raw.trim();
    if (depth === 0) {
      const m = /^'?([A-Za-z_][A-Za-z0-9_-]*)'?\s*:\s*(.*)$/.exec(line);
      if (m) out.set(m[1]!, m[2]!.trim());
    }
    for (const c of line) {
      if (c === "{" || c === "[") depth += 1;
      if (c === "}" || c === "]") depth -= 1;
    }
  }
  return out;
}

interface Param {
  readonly type: string;
  /** The default as written: a quoted string unquoted, an int as a number; undefined when none. */
  readonly default?: string | number;
  readonly secure: boolean;
}

export function params(text: string): Map<string, Param> {
  const out = new Map<string, Param>();
  const lines = stripComments(text).split("\n");
  lines.forEach((line, i) => {
    const m = /^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?$/.exec(line.trim());
    if (!m) return;
    const raw = m[3]?.trim();
    const value = raw === undefined ? undefined : /^'.*'$/.test(raw) ? raw.slice(1, -1) : /^-?\d+$/.test(raw) ? Number(raw) : raw;
    // Decorators sit on the lines just above.
    let j = i - 1;
    let secure = false;
    // A `#disable-next-line rule // why` may sit between the decorators and the param.
    while (j >= 0 && /^[@#]/.test(lines[j]!.trim())) {
      if (/^@secure\(\)/.test(lines[j]!.trim())) secure = true;
      j -= 1;
    }
    out.set(m[1]!, { type: m[2]!, ...(value === undefined ? {} : { default: value }), secure });
  });
  return out;
}

/** The decorators (and comments) written above `param name`, back to the previous declaration. */
export function decoratorsOf(text: string, name: string): string {
  const code = stripComments(text);
  const at = new RegExp(`^param\\s+${name}\\s`, "m").exec(code);
  if (!at) throw new Error(`No param ${name}`);
  const before = code.slice(0, at.index);
  const previous = Math.max(...["param ", "var ", "resource ", "module ", "targetScope", "output "].map((k) => before.lastIndexOf(`\n${k}`)));
  const from = previous < 0 ? 0 : before.indexOf("\n", previous + 1);
  return before.slice(from);
}

/** The values of a param's `@allowed([...])`, unquoted; undefined when it has none. */
export function allowedValues(text: string, name: string): (string | number)[] | undefined {
  const m = /@allowed\(\[([\s\S]*?)\]\)/.exec(decoratorsOf(text, name));
  if (!m) return undefined;
  return m[1]!
    .split(/\n|,/)
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => (/^'.*'$/.test(v) ? v.slice(1, -1) : Number(v)));
}
