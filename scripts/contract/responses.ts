/**
 * A JSON value (a simulator's answer, a request's body) walked against the CSDL type it claims:
 * every property is one the type (or the derived type its `@odata.type` names) defines, nested
 * complex types and collections followed; enum values are members of their enum; primitives have
 * their JSON kind. OData annotations (`@odata.context`, `x@odata.type`) and operation
 * advertisements (`#microsoft.graph.restore`) are exempt.
 */
import { derivesFrom, memberOf, type CsdlModel, type Operation, type TypeRef } from "./csdl.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface WalkResult {
  readonly problems: string[];
  /** `type.property` of every property met, as the CSDL defines it. */
  readonly properties: Set<string>;
  /** How many property values were checked. */
  values: number;
}

export const newWalk = (): WalkResult => ({ problems: [], properties: new Set(), values: 0 });

const STRINGS = new Set(["Edm.String", "Edm.Guid", "Edm.DateTimeOffset", "Edm.Date", "Edm.Duration", "Edm.TimeOfDay", "Edm.Binary", "Edm.Stream"]);
const NUMBERS = new Set(["Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte", "Edm.Double", "Edm.Single", "Edm.Decimal"]);

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);
const exempt = (key: string): boolean => key.includes("@") || key.startsWith("#");

const kindOf = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Checks one value against a type reference; `at` names it in problems (`value[3].conditions.users`). */
function walkValue(model: CsdlModel, ref: TypeRef, value: Json, at: string, out: WalkResult): void {
  if (value === null) return;
  if (ref.collection) {
    if (!Array.isArray(value)) return void out.problems.push(`${at}: a ${kindOf(value)} where ${ref.type} expects a collection`);
    value.forEach((v, i) => walkValue(model, { type: ref.type, collection: false }, v, `${at}[${i}]`, out));
    return;
  }
  if (model.types.has(ref.type)) {
    if (!isObject(value)) return void out.problems.push(`${at}: a ${kindOf(value)} where ${ref.type} expects an object`);
    return walkObject(model, ref.type, value, at, out);
  }
  const e = model.enums.get(ref.type);
  if (e) {
    if (typeof value !== "string") return void out.problems.push(`${at}: a ${kindOf(value)} where the enum ${ref.type} expects a string`);
    const names = e.flags ? value.split(",").map((s) => s.trim()) : [value];
    for (const n of names) if (!e.members.has(n)) out.problems.push(`${at}: '${n}' is not a member of ${ref.type}`);
    return;
  }
  const bad =
    (STRINGS.has(ref.type) && typeof value !== "string") ||
    (ref.type === "Edm.Boolean" && typeof value !== "boolean") ||
    // Graph writes INF, -INF and NaN as strings.
    (NUMBERS.has(ref.type) && typeof value !== "number" && !(typeof value === "string" && /^(-?INF|NaN)$/.test(value)));
  if (bad) out.problems.push(`${at}: a ${kindOf(value)} where ${ref.type} is expected`);
}

function walkObject(model: CsdlModel, type: string, value: { [key: string]: Json }, at: string, out: WalkResult): void {
  let actual = type;
  const declared = value["@odata.type"];
  if (typeof declared === "string") {
    const name = declared.replace(/^#/, "");
    if (!model.types.has(name)) out.problems.push(`${at}: @odata.type '${declared}' is not a type of the CSDL`);
    else if (!derivesFrom(model, name, type)) out.problems.push(`${at}: @odata.type '${declared}' does not derive from ${type}`);
    else actual = name;
  }
  for (const [key, v] of Object.entries(value)) {
    if (exempt(key)) continue;
    const member = memberOf(model, actual, key);
    if (!member) {
      out.problems.push(`${at}.${key}: not a property of ${actual}`);
      continue;
    }
    out.properties.add(`${member.on}.${key}`);
    out.values++;
    walkValue(model, member.ref, v, `${at}.${key}`, out);
  }
}

/** A response body: a collection answer's `value` list, or the one object. */
export function walkResponse(model: CsdlModel, ref: TypeRef, body: Json, out: WalkResult): void {
  if (!ref.collection) return walkValue(model, ref, body, "body", out);
  if (!isObject(body) || !Array.isArray(body.value)) return void out.problems.push(`body: a collection answer without a 'value' list`);
  walkValue(model, ref, body.value, "value", out);
}

/** A POST body of an action: each key a parameter, each value of its parameter's type. */
export function walkActionBody(model: CsdlModel, operation: Operation, body: Json, out: WalkResult): void {
  if (!isObject(body)) return void out.problems.push(`request body: a ${kindOf(body)} where ${operation.name} expects an object`);
  for (const [key, v] of Object.entries(body)) {
    if (exempt(key)) continue;
    const param = operation.parameters.get(key);
    if (!param) {
      out.problems.push(`request body.${key}: not a parameter of ${operation.name}`);
      continue;
    }
    out.properties.add(`${operation.name}(${key})`);
    out.values++;
    walkValue(model, param, v, `request body.${key}`, out);
  }
}
