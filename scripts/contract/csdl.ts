/**
 * A CSDL (OData v4 metadata) document read into what the contract check asks of it: the entity
 * container's entity sets and singletons, entity and complex types with their base types,
 * properties and navigation properties, enum members, and functions and actions with what they
 * are bound to. Parsed with fast-xml-parser; aliases (`graph.user`) resolved to full names
 * (`microsoft.graph.user`).
 */
import { XMLParser } from "fast-xml-parser";

/** A type reference: `microsoft.graph.user`, `Edm.String`, with `Collection(…)` taken off. */
export interface TypeRef {
  readonly type: string;
  readonly collection: boolean;
}

export interface StructuredType {
  readonly name: string;
  readonly kind: "entity" | "complex";
  readonly baseType?: string;
  readonly open: boolean;
  readonly properties: ReadonlyMap<string, TypeRef>;
  readonly navigation: ReadonlyMap<string, TypeRef>;
}

export interface Operation {
  readonly name: string;
  readonly kind: "function" | "action";
  /** The binding parameter's type, when bound. */
  readonly boundTo?: TypeRef;
  readonly parameters: ReadonlyMap<string, TypeRef>;
  readonly returns?: TypeRef;
}

export interface CsdlModel {
  readonly types: ReadonlyMap<string, StructuredType>;
  /** Enum type → its members, and whether several may be combined (`IsFlags`). */
  readonly enums: ReadonlyMap<string, { readonly members: ReadonlySet<string>; readonly flags: boolean }>;
  readonly entitySets: ReadonlyMap<string, string>;
  readonly singletons: ReadonlyMap<string, string>;
  /** Operations by full name (`microsoft.graph.evaluate`) and by short name, overloads together. */
  readonly operations: ReadonlyMap<string, readonly Operation[]>;
  /** Type name → the types derived from it directly. */
  readonly derived: ReadonlyMap<string, readonly string[]>;
}

type Node = Record<string, unknown>;

const ARRAYS = new Set([
  "Schema",
  "EntityType",
  "ComplexType",
  "EnumType",
  "Member",
  "Property",
  "NavigationProperty",
  "Action",
  "Function",
  "Parameter",
  "EntitySet",
  "Singleton",
  "EntityContainer",
  "FunctionImport",
  "ActionImport",
]);

const list = (node: Node | undefined, key: string): Node[] => (Array.isArray(node?.[key]) ? (node[key] as Node[]) : []);
const attr = (node: Node, key: string): string | undefined => (typeof node[key] === "string" ? node[key] : undefined);
const must = (node: Node, key: string, where: string): string => {
  const v = attr(node, key);
  if (v === undefined) throw new Error(`CSDL: ${where} has no ${key}`);
  return v;
};

/** `Collection(graph.x)` → { type: "microsoft.graph.x", collection: true }, aliases resolved. */
function typeRef(raw: string, aliases: ReadonlyMap<string, string>): TypeRef {
  const m = /^Collection\((.+)\)$/.exec(raw);
  const name = m ? m[1]! : raw;
  const dot = name.lastIndexOf(".");
  const ns = name.slice(0, dot);
  return { type: `${aliases.get(ns) ?? ns}${name.slice(dot)}`, collection: m !== null };
}

function members(nodes: Node[], key: "Property" | "NavigationProperty", aliases: ReadonlyMap<string, string>, where: string): Map<string, TypeRef> {
  const out = new Map<string, TypeRef>();
  for (const p of nodes.flatMap((n) => list(n, key))) out.set(must(p, "Name", where), typeRef(must(p, "Type", where), aliases));
  return out;
}

function operation(node: Node, kind: Operation["kind"], aliases: ReadonlyMap<string, string>): Operation {
  const name = must(node, "Name", kind);
  const params = list(node, "Parameter").map((p) => [must(p, "Name", name), typeRef(must(p, "Type", name), aliases)] as const);
  const bound = attr(node, "IsBound") === "true";
  const returnType = list(node, "ReturnType")[0] ?? (node.ReturnType as Node | undefined);
  const returns = returnType && attr(returnType, "Type") ? typeRef(attr(returnType, "Type")!, aliases) : undefined;
  return {
    name,
    kind,
    ...(bound && params[0] ? { boundTo: params[0][1] } : {}),
    parameters: new Map(bound ? params.slice(1) : params),
    ...(returns ? { returns } : {}),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const at = map.get(key);
  if (at) at.push(value);
  else map.set(key, [value]);
}

/** Reads a CSDL document (the text of `$metadata`). Throws on a document that is not CSDL. */
export function parseCsdl(xml: string): CsdlModel {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ARRAYS.has(name),
  });
  const doc = parser.parse(xml) as Node;
  const schemas = list((doc.Edmx as Node | undefined)?.DataServices as Node | undefined, "Schema");
  if (schemas.length === 0) throw new Error("CSDL: no edmx:Edmx/edmx:DataServices/Schema in the document");
  const aliases = new Map<string, string>();
  for (const s of schemas) {
    const ns = must(s, "Namespace", "Schema");
    aliases.set(ns, ns);
    const alias = attr(s, "Alias");
    if (alias) aliases.set(alias, ns);
  }
  const types = new Map<string, StructuredType>();
  const enums = new Map<string, { members: Set<string>; flags: boolean }>();
  const entitySets = new Map<string, string>();
  const singletons = new Map<string, string>();
  const operations = new Map<string, Operation[]>();
  const derived = new Map<string, string[]>();
  for (const s of schemas) {
    const ns = must(s, "Namespace", "Schema");
    for (const [key, kind] of [
      ["EntityType", "entity"],
      ["ComplexType", "complex"],
    ] as const) {
      for (const t of list(s, key)) {
        const name = `${ns}.${must(t, "Name", key)}`;
        const base = attr(t, "BaseType");
        const baseType = base ? typeRef(base, aliases).type : undefined;
        if (baseType) push(derived, baseType, name);
        types.set(name, {
          name,
          kind,
          ...(baseType ? { baseType } : {}),
          open: attr(t, "OpenType") === "true",
          properties: members([t], "Property", aliases, name),
          navigation: members([t], "NavigationProperty", aliases, name),
        });
      }
    }
    for (const e of list(s, "EnumType")) {
      const name = `${ns}.${must(e, "Name", "EnumType")}`;
      enums.set(name, { members: new Set(list(e, "Member").map((m) => must(m, "Name", name))), flags: attr(e, "IsFlags") === "true" });
    }
    for (const [key, kind] of [
      ["Action", "action"],
      ["Function", "function"],
    ] as const) {
      for (const o of list(s, key)) {
        const op = operation(o, kind, aliases);
        push(operations, `${ns}.${op.name}`, op);
        push(operations, op.name, op);
      }
    }
    for (const c of list(s, "EntityContainer")) {
      for (const e of list(c, "EntitySet")) entitySets.set(must(e, "Name", "EntitySet"), typeRef(must(e, "EntityType", "EntitySet"), aliases).type);
      for (const e of list(c, "Singleton")) singletons.set(must(e, "Name", "Singleton"), typeRef(must(e, "Type", "Singleton"), aliases).type);
    }
  }
  return { types, enums, entitySets, singletons, operations, derived };
}

/** The type and its base types, nearest first. */
function lineage(model: CsdlModel, name: string): StructuredType[] {
  const out: StructuredType[] = [];
  for (let t = model.types.get(name); t && out.length < 32; t = t.baseType ? model.types.get(t.baseType) : undefined) out.push(t);
  return out;
}

/** Whether `name` is `ancestor` or derives from it. */
export function derivesFrom(model: CsdlModel, name: string, ancestor: string): boolean {
  return lineage(model, name).some((t) => t.name === ancestor);
}

/** Every type derived from `name`, at any depth (not `name` itself). */
export function descendants(model: CsdlModel, name: string): string[] {
  const out: string[] = [];
  const walk = (n: string): void => {
    for (const d of model.derived.get(n) ?? []) {
      if (out.includes(d)) continue;
      out.push(d);
      walk(d);
    }
  };
  walk(name);
  return out;
}

export type Member = { readonly kind: "property" | "navigation"; readonly ref: TypeRef; readonly on: string };

/** A structural or navigation property of the type or one of its base types. */
export function memberOf(model: CsdlModel, type: string, name: string): Member | undefined {
  for (const t of lineage(model, type)) {
    const p = t.properties.get(name);
    if (p) return { kind: "property", ref: p, on: t.name };
    const n = t.navigation.get(name);
    if (n) return { kind: "navigation", ref: n, on: t.name };
  }
  return undefined;
}

/** The member as the type defines it, else as one of its derived types does (Graph serves those on a polymorphic collection). */
export function memberOfAny(model: CsdlModel, type: string, name: string): Member | undefined {
  return memberOf(model, type, name) ?? descendants(model, type).reduce<Member | undefined>((found, d) => found ?? memberOf(model, d, name), undefined);
}

/** A bound function or action of that name whose binding parameter accepts the type (or a collection of it). */
export function boundOperation(model: CsdlModel, type: TypeRef, name: string): Operation | undefined {
  return (model.operations.get(name) ?? []).find((o) => o.boundTo && o.boundTo.collection === type.collection && derivesFrom(model, type.type, o.boundTo.type));
}
