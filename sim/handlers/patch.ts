/**
 * What Graph's PATCH shares across the write endpoints: the body must be a JSON object, the
 * properties it names replace the stored ones, and a complex (object) property merges into the
 * stored one property by property, as Graph's update pages put it ("Existing properties that aren't
 * included in the request body maintain their previous values"). Collections are replaced whole,
 * and null sets null (unlike a JSON merge patch, where it deletes).
 *
 * None of the four resources the sim writes (conditionalAccessPolicy, authenticationMethodsPolicy,
 * user, strongAuthenticationRequirements) documents an ETag, so `If-Match` is ignored, as Graph's
 * directory ignores a header it does not use: a client that wants "no lost update" must read,
 * compare and write itself.
 */
import type { JsonObject, JsonValue, SimResponse } from "../types.js";
import { graphError } from "../errors.js";

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Objects merge property by property; anything else (arrays, scalars, null) replaces. */
export function graphMerge(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v !== undefined) out[k] = graphMerge(out[k], v);
  }
  return out;
}

/** Directory services' 400 for a malformed update (code `Request_BadRequest`). */
export const invalidUpdate = (message: string): SimResponse => graphError(400, "Request_BadRequest", message);

export const noContent = (): SimResponse => ({ status: 204, headers: {}, body: undefined });

/** The body as an object, or Graph's 400 for an empty or non-object body. */
export function patchBody(body: JsonValue | undefined): { body: JsonObject } | { error: SimResponse } {
  if (!isObject(body)) return { error: invalidUpdate("The request body must be a JSON object with the properties to update.") };
  return { body };
}

/** Why the body cannot update `type`: its first property outside `allowed` (one Graph does not know, or will not change). */
export function unexpectedProperty(body: JsonObject, allowed: readonly string[], type: string): string | undefined {
  const bad = Object.keys(body).find((k) => !allowed.includes(k) && !k.startsWith("@odata."));
  return bad === undefined ? undefined : `Invalid property '${bad}' for an update of type 'microsoft.graph.${type}'.`;
}

/** Why `value` is not a collection of strings (undefined and null pass: the property is left alone or cleared). */
export function notStringArray(value: JsonValue | undefined, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return `Property '${name}' must be a collection of strings.`;
  return undefined;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
