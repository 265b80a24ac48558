/**
 * One request checked against the CSDL: every path segment names an entity set, singleton,
 * navigation or structural property, cast (`microsoft.graph.user`), key, or bound function or
 * action on the type reached so far; `$select`, `$filter`, `$orderby` and `$expand` name
 * properties (and navigation properties) of the type the path ends on.
 */
import { boundOperation, derivesFrom, memberOf, memberOfAny, type CsdlModel, type Member, type TypeRef } from "./csdl.js";
import { filterPaths, orderByPaths, splitTopLevel, type PropertyPath } from "./odata-expr.js";

/** A request URL relative to the version: decoded path segments and query options. */
interface ParsedUrl {
  readonly segments: readonly string[];
  readonly query: ReadonlyMap<string, string>;
}

/** Decodes each segment and each query value on its own (a `+` in a value stays a `+`; `%2F` in a key stays in the key). */
export function parseUrl(url: string): ParsedUrl {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s));
  const query = new Map<string, string>();
  if (q !== -1) {
    for (const pair of url.slice(q + 1).split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      query.set(key, eq === -1 ? "" : decodeURIComponent(pair.slice(eq + 1)));
    }
  }
  return { segments, query };
}

/**
 * Where a request ends: the type it addresses (a collection or one), or nothing structured (`$count`, `$value`, `$ref`),
 * whose query options still apply to the resource before it (`users/$count?$filter=…`): `optionsOn`.
 */
type Resolved = { readonly ok: true; readonly ref: TypeRef | undefined; readonly optionsOn?: TypeRef } | { readonly ok: false; readonly problem: string };

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\((.*)\))?$/s;

const isCast = (model: CsdlModel, name: string): boolean => name.includes(".") && model.types.has(name);

/** Follows the path from the entity container through the types. */
export function resolvePath(model: CsdlModel, segments: readonly string[]): Resolved {
  const [first, ...rest] = segments;
  const head = first === undefined ? undefined : SEGMENT.exec(first);
  if (!head) return { ok: false, problem: `the path does not start with an entity set or singleton: '${first ?? ""}'` };
  const [, name, key] = head;
  let ref: TypeRef;
  if (model.entitySets.has(name!)) ref = { type: model.entitySets.get(name!)!, collection: key === undefined };
  else if (model.singletons.has(name!) && key === undefined) ref = { type: model.singletons.get(name!)!, collection: false };
  else return { ok: false, problem: `'${name}' is not an entity set or singleton of the entity container` };
  for (const segment of rest) {
    if (segment.startsWith("$")) {
      if (segment === "$count" || segment === "$value" || segment === "$ref") return { ok: true, ref: undefined, optionsOn: ref };
      return { ok: false, problem: `'${segment}' is not a system segment` };
    }
    const next = step(model, ref, segment);
    if (!next.ok) return next;
    if (next.ref === undefined) return next;
    ref = next.ref;
  }
  return { ok: true, ref };
}

function step(model: CsdlModel, ref: TypeRef, segment: string): Resolved {
  const m = SEGMENT.exec(segment);
  const name = m?.[1];
  const args = m?.[2];
  if (name && isCast(model, name)) {
    if (!derivesFrom(model, name, ref.type)) return { ok: false, problem: `cast '${name}' does not derive from ${ref.type}` };
    return { ok: true, ref: { type: name, collection: ref.collection } };
  }
  const operation = name ? boundOperation(model, ref, name) : undefined;
  if (operation) return { ok: true, ref: operation.returns };
  // After a collection, anything else is a key (`users/{id}`).
  if (ref.collection) return { ok: true, ref: { type: ref.type, collection: false } };
  if (!model.types.has(ref.type)) return { ok: false, problem: `'${segment}' follows ${ref.type}, which has no properties` };
  const member = name ? memberOf(model, ref.type, name) : undefined;
  if (!member) return { ok: false, problem: `'${name ?? segment}' is not a property, navigation property, function or action of ${ref.type}` };
  return { ok: true, ref: { type: member.ref.type, collection: member.ref.collection && args === undefined } };
}

/** Follows a property path (`status/errorCode`, `microsoft.graph.group/displayName`) from a type; collections are stepped through. */
function resolvePropertyPath(model: CsdlModel, type: string, path: PropertyPath, lenient = false): { member?: Member; problem?: string } {
  let current = type;
  let member: Member | undefined;
  for (const segment of path) {
    if (isCast(model, segment)) {
      if (!derivesFrom(model, segment, current)) return { problem: `cast '${segment}' does not derive from ${current}` };
      current = segment;
      continue;
    }
    if (!model.types.has(current)) return { problem: `'${segment}' follows ${current}, which has no properties` };
    member = (lenient ? memberOfAny : memberOf)(model, current, segment);
    if (!member) return { problem: `'${segment}' is not a property of ${current}${lenient ? " or of a type derived from it" : ""}` };
    current = member.ref.type;
  }
  return member ? { member } : { problem: `empty property path '${path.join("/")}'` };
}

/** Query options that name no property. */
const PLAIN_OPTIONS = new Set(["$top", "$skip", "$skiptoken", "$count", "$search", "$format", "$deltatoken"]);

interface QueryCheck {
  readonly problems: string[];
  /** `type.property` of every property the options name, as the CSDL defines it. */
  readonly named: string[];
}

/** Checks the query options against the type the path ends on (`ref` undefined: none may name a property). */
export function checkQuery(model: CsdlModel, ref: TypeRef | undefined, query: ReadonlyMap<string, string>): QueryCheck {
  const result: QueryCheck = { problems: [], named: [] };
  for (const [option, value] of query) checkOne(model, ref, option, value, result);
  return result;
}

function checkOne(model: CsdlModel, ref: TypeRef | undefined, option: string, value: string, result: QueryCheck): void {
  if (PLAIN_OPTIONS.has(option)) return;
  if (!["$select", "$filter", "$orderby", "$expand"].includes(option)) result.problems.push(`unknown query option '${option}'`);
  else if (!ref || !model.types.has(ref.type)) result.problems.push(`${option} on ${ref?.type ?? "a value"}, which has no properties`);
  else checkOption(model, ref.type, option, value, result);
}

function checkOption(model: CsdlModel, type: string, option: string, value: string, result: QueryCheck): void {
  const note = (path: PropertyPath, lenient: boolean, navigation?: boolean): Member | undefined => {
    const r = resolvePropertyPath(model, type, path, lenient);
    if (r.problem) result.problems.push(`${option}: ${r.problem}`);
    else if (navigation !== undefined && (r.member!.kind === "navigation") !== navigation)
      result.problems.push(`${option}: '${path.join("/")}' is a ${r.member!.kind === "navigation" ? "navigation property" : "property"} of ${type}`);
    else result.named.push(`${r.member!.on}.${path[path.length - 1]}`);
    return r.member;
  };
  try {
    if (option === "$select") {
      // Graph serves a derived type's properties on a polymorphic collection (`transitiveMemberOf?$select=displayName`).
      for (const item of value.split(",").map((s) => s.trim())) note(item.split("/"), true);
    } else if (option === "$filter") {
      for (const path of filterPaths(value)) note(path, false);
    } else if (option === "$orderby") {
      for (const path of orderByPaths(value)) note(path, false);
    } else {
      for (const item of splitTopLevel(value, ",")) {
        const m = /^\s*([^(\s]+)\s*(?:\((.*)\))?\s*$/s.exec(item);
        if (!m) {
          result.problems.push(`$expand: cannot read '${item}'`);
          continue;
        }
        const member = note(m[1]!.split("/"), true, true);
        if (member && m[2]) {
          for (const nested of splitTopLevel(m[2], ";")) {
            const eq = nested.indexOf("=");
            checkOne(model, member.ref, nested.slice(0, eq).trim(), nested.slice(eq + 1), result);
          }
        }
      }
    }
  } catch (err) {
    result.problems.push(`${option}: cannot read '${value}': ${err instanceof Error ? err.message : String(err)}`);
  }
}
