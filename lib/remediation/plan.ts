/**
 * A remediation plan: one Graph write that fixes one finding, with what it changes shown before it
 * runs. Plans are plain data (they can be stored while a second person approves them) and are made
 * by each check's own planner, beside its rule (lib/checks/<id>/remediation.ts), from the resource
 * as Graph answered it.
 *
 * `before` and `after` are the resource projected on the fields the request body writes (its leaf
 * paths: a collection is one leaf), so comparing a fresh read with them tells "unchanged since the
 * preview", "already fixed" and "someone else changed it" apart without any per-check code.
 */
import { canonicalJson } from "../drift/canonical.js";

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export type GraphApiVersion = "v1.0" | "beta";

/** A Graph request, relative to the Graph endpoint and its version. */
export interface GraphRequest {
  readonly method: "GET" | "PATCH";
  readonly version: GraphApiVersion;
  /** e.g. `/identity/conditionalAccess/policies/{id}`; a GET may carry `$select`. */
  readonly url: string;
  readonly body?: JsonObject;
}

export type RemediationKind = "ca-exclude-account" | "per-user-mfa-disable" | "campaign-exclude-account" | "password-never-expires";

export interface RemediationPlan {
  readonly kind: RemediationKind;
  /** The write. */
  readonly request: GraphRequest & { readonly method: "PATCH"; readonly body: JsonObject };
  /** Where the executor reads the resource again, before the write (stale?) and after it (visible yet?). */
  readonly read: GraphRequest & { readonly method: "GET" };
  /** The written fields as the preview read them, and as the write leaves them. */
  readonly before: JsonObject;
  readonly after: JsonObject;
  /** One sentence for the person who approves it. */
  readonly description: string;
  /** The application permissions the write needs (least privileged, all of them), as its Graph page lists them. */
  readonly permissions: readonly string[];
  /** The Graph page that documents the request. */
  readonly documentation: string;
}

/** A fix that stays with a person, and why. */
export interface ManualRemediation {
  readonly manual: string;
}

export type Remediation = RemediationPlan | ManualRemediation;

export function isManual(r: Remediation): r is ManualRemediation {
  return "manual" in r;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The leaf paths of a request body: `{ conditions: { users: { excludeUsers: [] } } }` → `["conditions.users.excludeUsers"]`. */
export function leafPaths(body: JsonObject, prefix = ""): string[] {
  return Object.entries(body).flatMap(([k, v]) => (isObject(v) ? leafPaths(v as JsonObject, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** The resource reduced to `paths`, nested as in the resource; a missing field is null (Graph's "not set"). */
export function project(resource: unknown, paths: readonly string[]): JsonObject {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split(".");
    let value: unknown = resource;
    for (const k of keys) value = isObject(value) ? value[k] : undefined;
    let node = out;
    for (const k of keys.slice(0, -1)) {
      if (!isObject(node[k])) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = value === undefined ? null : value;
  }
  return out as JsonObject;
}

/** Collections here are sets (excludeUsers, excludeTargets): their order carries no meaning, so it is not compared. */
function unordered(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(unordered).sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : canonicalJson(a) > canonicalJson(b) ? 1 : 0));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unordered(v)]));
  return value;
}

/** The canonical JSON the executor compares: keys sorted, collections as sets. */
export function fieldsJson(fields: JsonObject): string {
  return canonicalJson(unordered(fields));
}

/** A plan for its request: `before` from the resource as read; `after` is what the body writes. */
export function planFor(resource: unknown, plan: Omit<RemediationPlan, "before" | "after">): RemediationPlan {
  const paths = leafPaths(plan.request.body);
  return { ...plan, before: project(resource, paths), after: project(plan.request.body, paths) };
}
