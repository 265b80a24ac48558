/**
 * Finds files under the repository's sim/ and test/ that are copies of the reference data kept beside the
 * repository (../shared/data): that data has its own licences and stays outside; the project writes its own.
 *
 * A copy is caught as: the same bytes; the same text once line endings, a byte-order mark and trailing blanks
 * are set aside; the same JSON once parsed (key order and layout do not matter), with or without Graph's
 * `@odata` annotations; any JSON object or array inside a repository file equal to a whole reference file or
 * to one element of a reference list (a copied policy pasted into a bigger file); or a repository file that
 * names the `id` of a reference list element (a copied policy or group renamed, or a tenant wired to it).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface SharedCopy {
  /** The repository file, relative to the repository, with `/` separators. */
  file: string;
  /** How it matches, and what: `same JSON as ca/policies.json [3] (CA003 …)`. */
  match: string;
}

/** Smaller files and JSON values (an empty file, `[]`, `{"id":"All"}`) are too common to mean a copy. */
const MIN_CHARS = 48;
/** Ids shorter than this (`"1"`, `"All"`) are not identifiers of anything in particular. */
const MIN_ID_CHARS = 16;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const sha = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

/** JSON with every object's keys in order, so two encodings of one value compare equal. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Graph's annotations (`@odata.type`, `state@odata.type`) and bound actions (`#microsoft.graph.restore`) dropped. */
function withoutAnnotations(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (!k.includes("@odata") && !k.startsWith("#")) out[k] = withoutAnnotations(v);
    return out;
  }
  return value;
}

function textOf(bytes: Buffer): string {
  const utf16 = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
  return (utf16 ? bytes.subarray(2).toString("utf16le") : bytes.toString("utf8")).replace(/^\uFEFF/, "");
}

const normalisedText = (bytes: Buffer): string =>
  textOf(bytes)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();

function parseJson(bytes: Buffer): Json | undefined {
  try {
    return JSON.parse(textOf(bytes)) as Json;
  } catch {
    return undefined;
  }
}

/** The two JSON forms a value is known by, each hashed; none for a value too small to mean anything. */
function jsonForms(value: Json): string[] {
  const plain = canonical(value);
  if (plain.length < MIN_CHARS) return [];
  const bare = canonical(withoutAnnotations(value));
  return bare === plain || bare.length < MIN_CHARS ? [sha(plain)] : [sha(plain), sha(bare)];
}

/** The elements of a reference list: a top-level array, or the `value` list of a Graph response. */
function listElements(value: Json): Json[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object" && Array.isArray(value["value"])) return value["value"];
  return [];
}

function labelOf(element: Json): string {
  if (element === null || typeof element !== "object" || Array.isArray(element)) return "";
  const name = element["displayName"] ?? element["name"];
  return typeof name === "string" ? ` (${name})` : "";
}

/** What the reference data is known by: hash → where it comes from, and element id → where it comes from. */
export interface SharedIndex {
  hashes: Map<string, string>;
  ids: Map<string, string>;
}

export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

const slashed = (path: string): string => path.split(sep).join("/");

export function indexShared(sharedDir: string): SharedIndex {
  const hashes = new Map<string, string>();
  const ids = new Map<string, string>();
  const add = (hash: string, what: string): void => {
    if (!hashes.has(hash)) hashes.set(hash, what);
  };
  for (const path of listFiles(sharedDir)) {
    const name = slashed(relative(sharedDir, path));
    const bytes = readFileSync(path);
    const text = normalisedText(bytes);
    if (text.length < MIN_CHARS) continue;
    add(`bytes:${sha(bytes)}`, name);
    add(`text:${sha(text)}`, name);
    const json = parseJson(bytes);
    if (json === undefined) continue;
    for (const h of jsonForms(json)) add(`json:${h}`, name);
    listElements(json).forEach((element, i) => {
      const what = `${name} [${i}]${labelOf(element)}`;
      for (const h of jsonForms(element)) add(`json:${h}`, what);
      const id = element !== null && typeof element === "object" && !Array.isArray(element) ? element["id"] : undefined;
      if (typeof id === "string" && id.length >= MIN_ID_CHARS && !ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), what);
    });
  }
  return { hashes, ids };
}

/** Every object and array in a JSON value, the value itself included. */
function* nodes(value: Json): Generator<Json> {
  if (value === null || typeof value !== "object") return;
  yield value;
  for (const child of Array.isArray(value) ? value : Object.values(value)) yield* nodes(child);
}

/** Why a repository file counts as a copy of the reference data, or null. */
export function copyOf(index: SharedIndex, bytes: Buffer): string | null {
  const seen = (key: string): string | undefined => index.hashes.get(key);
  const same = seen(`bytes:${sha(bytes)}`);
  if (same) return `same bytes as ${same}`;
  const text = normalisedText(bytes);
  const sameText = seen(`text:${sha(text)}`);
  if (sameText) return `same text as ${sameText}`;
  const json = parseJson(bytes);
  if (json !== undefined) {
    for (const node of nodes(json)) {
      for (const h of jsonForms(node)) {
        const what = seen(`json:${h}`);
        if (what) return `same JSON as ${what}`;
      }
    }
  }
  const lower = text.toLowerCase();
  for (const [id, what] of index.ids) if (lower.includes(id)) return `names ${id}, the id of ${what}`;
  return null;
}

/** The copies under `roots` (default sim/ and test/) of the repository. */
export function findSharedCopies(sharedDir: string, repoDir: string, roots: readonly string[] = ["sim", "test"]): SharedCopy[] {
  const index = indexShared(sharedDir);
  const out: SharedCopy[] = [];
  for (const root of roots.map((r) => join(repoDir, r)).filter((r) => existsSync(r))) {
    for (const path of listFiles(root)) {
      const match = copyOf(index, readFileSync(path));
      if (match) out.push({ file: slashed(relative(repoDir, path)), match });
    }
  }
  return out;
}
