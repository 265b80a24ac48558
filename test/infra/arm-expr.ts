/**
 * Just enough of ARM's template expression language to render values of a compiled template
 * (bicep build's JSON) for a given set of parameters and module outputs: string, integer and
 * boolean literals, function calls, `.property` and `[index]`. A function it does not know throws,
 * so a template that starts using one fails the test instead of rendering something wrong.
 * Reference: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
 */
import { createHash } from "node:crypto";

export interface ArmContext {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly variables: Readonly<Record<string, unknown>>;
  /** The outputs of the module deployment of this name, each as ARM gives it: `{ value }`. */
  readonly outputsOf: (deploymentName: string) => Readonly<Record<string, unknown>>;
  /** reference() of a resource: its properties, by the id resourceId()/extensionResourceId() give here. */
  readonly propertiesOf?: (resourceId: string) => Readonly<Record<string, unknown>>;
  readonly tenantId: string;
}

type Node =
  | { readonly k: "lit"; readonly v: unknown }
  | { readonly k: "call"; readonly name: string; readonly args: readonly Node[] }
  | { readonly k: "prop"; readonly of: Node; readonly name: string }
  | { readonly k: "index"; readonly of: Node; readonly at: Node };

function parse(src: string): Node {
  let i = 0;
  const ws = (): void => {
    while (/\s/.test(src[i] ?? "")) i += 1;
  };
  const expect = (c: string): void => {
    ws();
    if (src[i] !== c) throw new Error(`ARM expression: expected '${c}' at ${i} in ${src}`);
    i += 1;
  };
  const primary = (): Node => {
    ws();
    if (src[i] === "'") {
      let out = "";
      i += 1;
      for (;;) {
        if (i >= src.length) throw new Error(`ARM expression: unterminated string in ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") {
          out += "'";
          i += 2;
        } else if (src[i] === "'") break;
        else {
          out += src[i];
          i += 1;
        }
      }
      i += 1;
      return { k: "lit", v: out };
    }
    const num = /^-?\d+/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      return { k: "lit", v: Number(num[0]) };
    }
    const id = /^[A-Za-z_][\w]*/.exec(src.slice(i));
    if (!id) throw new Error(`ARM expression: unexpected '${src[i]}' at ${i} in ${src}`);
    i += id[0].length;
    if (id[0] === "true" || id[0] === "false") return { k: "lit", v: id[0] === "true" };
    if (id[0] === "null") return { k: "lit", v: null };
    expect("(");
    const args: Node[] = [];
    ws();
    if (src[i] === ")") i += 1;
    else {
      for (;;) {
        args.push(chain());
        ws();
        if (src[i] === ",") i += 1;
        else break;
      }
      expect(")");
    }
    return { k: "call", name: id[0].toLowerCase(), args };
  };
  const chain = (): Node => {
    let node = primary();
    for (;;) {
      ws();
      if (src[i] === ".") {
        i += 1;
        const id = /^[A-Za-z_$][\w$]*/.exec(src.slice(i));
        if (!id) throw new Error(`ARM expression: property name expected at ${i} in ${src}`);
        i += id[0].length;
        node = { k: "prop", of: node, name: id[0] };
      } else if (src[i] === "[") {
        i += 1;
        const at = chain();
        expect("]");
        node = { k: "index", of: node, at };
      } else return node;
    }
  };
  const node = chain();
  ws();
  if (i !== src.length) throw new Error(`ARM expression: trailing text at ${i} in ${src}`);
  return node;
}

const isEmpty = (v: unknown): boolean =>
  v === null || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);

function call(name: string, args: readonly Node[], ctx: ArmContext): unknown {
  const ev = (n: Node): unknown => evalNode(n, ctx);
  if (name === "if") return ev(args[0]!) === true ? ev(args[1]!) : ev(args[2]!); // only the branch taken, as ARM does
  const a = args.map(ev);
  switch (name) {
    case "parameters":
      if (!(String(a[0]) in ctx.parameters)) throw new Error(`ARM: no parameter ${String(a[0])}`);
      return ctx.parameters[String(a[0])];
    case "variables":
      return render(ctx.variables[String(a[0])], ctx);
    case "format":
      return String(a[0]).replace(/\{(\d+)\}/g, (_, n: string) => String(a[Number(n) + 1]));
    case "concat":
      return a.every(Array.isArray) ? a.flat() : a.map(String).join("");
    case "string":
      return typeof a[0] === "string" ? a[0] : typeof a[0] === "boolean" ? (a[0] ? "True" : "False") : JSON.stringify(a[0]);
    case "empty":
      return isEmpty(a[0]);
    case "not":
      return a[0] !== true;
    case "and":
      return a.every((v) => v === true);
    case "or":
      return a.some((v) => v === true);
    case "equals":
      return JSON.stringify(a[0]) === JSON.stringify(a[1]);
    case "greater":
      return (a[0] as number) > (a[1] as number);
    case "subscription":
      return { id: "/subscriptions/00000000-0000-0000-0000-000000000000", subscriptionId: "00000000-0000-0000-0000-000000000000", tenantId: ctx.tenantId };
    case "uniquestring": // not ARM's hash, but as ARM's: deterministic, 13 characters
      return createHash("sha256").update(a.map(String).join("|")).digest("hex").slice(0, 13);
    case "split":
      return String(a[0]).split(String(a[1]));
    case "tolower":
      return String(a[0]).toLowerCase();
    case "createarray":
      return a;
    case "union": // objects only, one level deep (what the template merges: tags)
      if (!a.every((v) => typeof v === "object" && v !== null && !Array.isArray(v))) throw new Error("ARM expression: union() of non-objects is not rendered");
      return Object.assign({}, ...a) as Record<string, unknown>;
    case "createobject":
      return Object.fromEntries(Array.from({ length: a.length / 2 }, (_, n) => [String(a[2 * n]), a[2 * n + 1]]));
    // Ids without the subscription and resource group of the deployment itself: enough to tell resources apart.
    case "resourceid":
      return `/providers/${String(a[0])}/${a.slice(1).map(String).join("/")}`;
    case "extensionresourceid":
      return `${String(a[0])}/providers/${String(a[1])}/${a.slice(2).map(String).join("/")}`;
    case "reference": {
      const id = String(a[0]);
      const deployment = /\/providers\/Microsoft\.Resources\/deployments\/([^/]+)$/.exec(id)?.[1];
      if (deployment) return { outputs: ctx.outputsOf(deployment) };
      if (!ctx.propertiesOf) throw new Error(`ARM: reference(${id}) with no resource state given`);
      return ctx.propertiesOf(id);
    }
    default:
      throw new Error(`ARM expression: function ${name}() is not rendered by test/infra/arm-expr.ts`);
  }
}

function evalNode(node: Node, ctx: ArmContext): unknown {
  switch (node.k) {
    case "lit":
      return node.v;
    case "call":
      return call(node.name, node.args, ctx);
    case "prop": {
      const of = evalNode(node.of, ctx) as Record<string, unknown> | undefined;
      if (of === undefined || of === null || !(node.name in of)) throw new Error(`ARM: no property ${node.name}`);
      return of[node.name];
    }
    case "index": {
      const of = evalNode(node.of, ctx) as Record<string, unknown>;
      return of[String(evalNode(node.at, ctx))];
    }
  }
}

/** A template value with every `[expression]` in it evaluated (`[[` is a literal `[`). */
export function render(value: unknown, ctx: ArmContext): unknown {
  if (typeof value === "string") {
    if (value.startsWith("[[")) return value.slice(1);
    if (value.startsWith("[") && value.endsWith("]")) return evalNode(parse(value.slice(1, -1)), ctx);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => render(v, ctx));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, ctx)]));
  return value;
}
