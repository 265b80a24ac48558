/** What every Graph endpoint handler gets, whether the request came alone or inside a batch. */
import type { JsonObject, JsonValue, SimResponse, TenantData } from "../types.js";
import { decodeSkipToken, encodeSkipToken, parseTop } from "../odata.js";
import { badRequest, ok } from "../errors.js";

export type GraphVersion = "v1.0" | "beta";

export interface GraphContext {
  version: GraphVersion;
  /** Path after the version, decoded per segment, e.g. `/users/o'neil@contoso.com`. */
  path: string;
  query: URLSearchParams;
  tenant: TenantData;
  /** `https://host:port` as the client addressed the sim, for absolute next links. */
  baseUrl: string;
  now: Date;
  /** The JSON body of a POST or PATCH. */
  body?: JsonValue;
  /**
   * Makes a write take effect: at once, or after the sim's write-visibility delay (eventual
   * consistency: reads answer the old value until then). Absent: at once.
   */
  commit?: (apply: () => void) => void;
}

/** Runs a write through the context's commit (see GraphContext.commit). */
export function commit(ctx: GraphContext, apply: () => void): void {
  if (ctx.commit) ctx.commit(apply);
  else apply();
}

export type Handler = (ctx: GraphContext, params: string[]) => SimResponse;

/** What paging needs of a request: partner endpoints page too, without a customer tenant's data. */
type PageContext = Pick<GraphContext, "version" | "path" | "query" | "baseUrl">;

export function contextUrl(ctx: PageContext, fragment: string): string {
  return `${ctx.baseUrl}/${ctx.version}/$metadata#${fragment}`;
}

/**
 * One page of a collection. The next link is absolute and keeps every query option but
 * $skiptoken, like Graph's: clients must follow it as given.
 */
export function pageOf(ctx: PageContext, items: JsonObject[], defaultTop: number, maxTop: number, contextFragment: string): SimResponse {
  const top = parseTop(ctx.query, maxTop);
  if (top === null) return badRequest("Invalid page size specified: '" + (ctx.query.get("$top") ?? "") + "'. Must be between 1 and " + maxTop + ".");
  const offset = decodeSkipToken(ctx.query.get("$skiptoken"));
  if (offset === null) return badRequest("Invalid $skiptoken value.");
  const size = top ?? defaultTop;
  const slice = items.slice(offset, offset + size);
  const body: JsonObject = { "@odata.context": contextUrl(ctx, contextFragment) };
  if (offset + size < items.length) {
    const next = new URLSearchParams(ctx.query);
    next.delete("$skiptoken");
    next.set("$skiptoken", encodeSkipToken(offset + size));
    body["@odata.nextLink"] = `${ctx.baseUrl}/${ctx.version}${encodePath(ctx.path)}?${queryString(next)}`;
  }
  body.value = slice;
  return ok(body);
}

/**
 * Re-encodes a decoded path for a link, segment by segment. A key that could not stand as a plain
 * segment (a quote, or a leading `$`) goes back in key form, `users('%24svc%40contoso.com')`, so
 * the link is one the sim (and Graph) accepts.
 */
function encodePath(path: string): string {
  const out: string[] = [];
  for (const s of path.split("/")) {
    const prev = out[out.length - 1];
    if ((s.includes("'") || (s.startsWith("$") && s.length > 1)) && prev && /^[A-Za-z]+$/.test(prev)) {
      out[out.length - 1] = `${prev}('${strict(s.replace(/'/g, "''"))}')`;
    } else {
      out.push(strict(s));
    }
  }
  return out.join("/");
}

/** encodeURIComponent that also encodes `'`, `(`, `)`, `!`, `*`. */
function strict(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Like URLSearchParams.toString() but keeps `$` in option names, as Graph's links do. */
function queryString(params: URLSearchParams): string {
  return [...params].map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, "$")}=${encodeURIComponent(v)}`).join("&");
}
