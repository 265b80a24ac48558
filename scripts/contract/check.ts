/**
 * The contract check over a recorded run (sim/record.ts): each request, `$batch` sub-requests
 * one by one, checked against the CSDL (requests.ts), and each successful v1.0 answer walked
 * against the type the request addresses (responses.ts). Beta requests are listed with the
 * documentation page that defines them; one without a page is a problem.
 */
import { z } from "zod";
import { boundOperation, type CsdlModel } from "./csdl.js";
import { checkQuery, parseUrl, resolvePath } from "./requests.js";
import { newWalk, walkActionBody, walkResponse, type WalkResult } from "./responses.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));

const exchangeSchema = z.object({ method: z.string(), url: z.string(), body: json.optional(), status: z.number().int(), response: json.optional() });
const batchBody = z.object({ requests: z.array(z.object({ id: z.string(), method: z.string(), url: z.string(), body: json.optional() })) });
const batchAnswer = z.object({ responses: z.array(z.object({ id: z.string(), status: z.number().int(), body: json.optional() })) });

/** One Graph request as the product sent it, alone or inside a `$batch`, with the answer. */
export interface Call {
  readonly version: "v1.0" | "beta";
  readonly method: string;
  /** Relative to the version: `/users/{id}?$select=id`. */
  readonly url: string;
  readonly body?: Json;
  readonly status: number;
  readonly response?: Json;
  /** The `$batch` sub-request id, when it was one. */
  readonly batchId?: string;
}

/** The calls of a recording (JSON lines), `$batch`es opened into their sub-requests. */
export function callsOf(jsonl: string): Call[] {
  const calls: Call[] = [];
  for (const [n, line] of jsonl.split("\n").entries()) {
    if (line.trim() === "") continue;
    const e = exchangeSchema.safeParse(JSON.parse(line));
    if (!e.success) throw new Error(`recording line ${n + 1}: ${e.error.message}`);
    const m = /^\/(v1\.0|beta)(\/.*)$/i.exec(e.data.url);
    if (!m) throw new Error(`recording line ${n + 1}: not a Graph URL: ${e.data.url}`);
    const version = m[1]!.toLowerCase() === "beta" ? "beta" : "v1.0";
    if (!/^\/\$batch(\?|$)/i.test(m[2]!)) {
      calls.push({ version, method: e.data.method, url: m[2]!, body: e.data.body, status: e.data.status, response: e.data.response });
      continue;
    }
    const sent = batchBody.safeParse(e.data.body);
    const answered = batchAnswer.safeParse(e.data.response);
    if (!sent.success || !answered.success) continue;
    for (const r of sent.data.requests) {
      const answer = answered.data.responses.find((a) => a.id === r.id);
      const url = r.url.startsWith("/") ? r.url : `/${r.url}`;
      calls.push({ version, method: r.method.toUpperCase(), url, body: r.body, status: answer?.status ?? 0, response: answer?.body, batchId: r.id });
    }
  }
  return calls;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The path with keys and ids as `{id}`: `/users/{id}/authentication/methods`. */
export function pathTemplate(url: string): string {
  const { segments } = parseUrl(url);
  return `/${segments.map((s) => s.replace(GUID, "{id}").replace(/^([A-Za-z]+)\('(?:[^']|'')*'\)$/, "$1/{id}")).join("/")}`;
}

/** The request with its literals blanked, so two tenants' same request count once. */
export function requestTemplate(call: Pick<Call, "method" | "version" | "url">): string {
  const { query } = parseUrl(call.url);
  const options = [...query]
    .filter(([k]) => k !== "$skiptoken")
    .map(([k, v]) => `${k}=${v.replace(/'(?:[^']|'')*'/g, "'…'").replace(/\b\d{4}-\d{2}-\d{2}T[0-9:.]+Z\b/g, "{datetime}")}`);
  return `${call.method} /${call.version}${pathTemplate(call.url)}${options.length > 0 ? `?${options.join("&")}` : ""}`;
}

export interface ContractReport {
  /** Every call of the recording, `$batch` sub-requests counted one by one. */
  readonly sent: number;
  /** Distinct v1.0 requests checked against the CSDL. */
  readonly requests: ReadonlySet<string>;
  /** v1.0 answers walked, and what they held. */
  readonly answers: number;
  readonly walk: WalkResult;
  /** `type.property` named by the requests' query options. */
  readonly queried: ReadonlySet<string>;
  /** Beta requests (templates) with their documentation page, or undefined when none is listed. */
  readonly beta: ReadonlyMap<string, string | undefined>;
  /** `request: problem`, each once. */
  readonly problems: ReadonlySet<string>;
}

/** Checks every call; `betaDocs` maps a beta path template (`/auditLogs/signIns`) to its documentation page. */
export function checkCalls(model: CsdlModel, calls: readonly Call[], betaDocs: ReadonlyMap<string, string>): ContractReport {
  const requests = new Set<string>();
  const queried = new Set<string>();
  const beta = new Map<string, string | undefined>();
  const problems = new Set<string>();
  const walk = newWalk();
  let answers = 0;
  for (const call of calls) {
    const template = requestTemplate(call);
    if (call.version === "beta") {
      const path = pathTemplate(call.url);
      beta.set(`${call.method} /beta${path}`, betaDocs.get(path));
      if (!betaDocs.has(path)) problems.add(`${template}: a beta request with no documentation page listed`);
      continue;
    }
    requests.add(template);
    const { segments, query } = parseUrl(call.url);
    const post = call.method === "POST";
    const target = resolvePath(model, post ? segments.slice(0, -1) : segments);
    if (!target.ok) {
      problems.add(`${template}: ${target.problem}`);
      continue;
    }
    let ref = target.ref;
    let optionsOn = target.optionsOn ?? ref;
    const where = (p: string): string => `${template}: ${p}`;
    if (post) {
      const operation = target.ref ? boundOperation(model, target.ref, segments[segments.length - 1]!) : undefined;
      if (!operation || operation.kind !== "action") {
        problems.add(where(`'${segments[segments.length - 1]}' is not an action bound to ${target.ref?.type ?? "that path"}`));
        continue;
      }
      const body = newWalk();
      walkActionBody(model, operation, call.body ?? null, body);
      merge(walk, body, where, problems);
      ref = operation.returns;
      optionsOn = ref;
    }
    const q = checkQuery(model, optionsOn, query);
    for (const p of q.problems) problems.add(where(p));
    for (const n of q.named) queried.add(n);
    if (call.status < 200 || call.status >= 300 || call.response === undefined || ref === undefined) continue;
    answers++;
    const answer = newWalk();
    walkResponse(model, ref, call.response, answer);
    merge(walk, answer, (p) => `${template}: answer ${p}`, problems);
  }
  return { sent: calls.length, requests, answers, walk, queried, beta, problems };
}

function merge(into: WalkResult, from: WalkResult, where: (p: string) => string, problems: Set<string>): void {
  for (const p of from.problems) problems.add(where(p.replace(/\[\d+\]/g, "[]")));
  for (const p of from.properties) into.properties.add(p);
  into.values += from.values;
}
