/**
 * Building Graph URLs safely. A connection account's UPN is tenant data (`o'neil@contoso.com`
 * is a valid UPN), so every value that enters a URL goes through one of these functions:
 * never string-concatenated raw into a path or a `$filter`.
 */

/** An OData string literal: single quotes around, a `'` inside doubled (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * One URL path segment. encodeURIComponent leaves `'` alone, but an unescaped quote in a key
 * segment is read by Graph as OData key syntax (`users('x')`), so it is encoded as `%27` too.
 * The same goes for `(`, `)`, `!` and `*`, which RFC 3986 allows but OData gives meaning to.
 */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * An entity addressed by a string key in OData key syntax, `users('o%27%27neil%40contoso.com')`:
 * the quote doubled (OData string literal), then the whole value encoded like any segment, so
 * nothing in it — a leading `$`, a quote, `/`, `?`, `#` — can be read as URL or OData syntax.
 * Graph answers 400 to `/users/$svc@contoso.com` (a segment starting with `$` is a system
 * segment), and the key form is its documented way round that.
 */
export function keySegment(entitySet: string, key: string): { readonly raw: string } {
  // An object id needs none of that: `users/{id}` is the form every Graph page documents.
  if (GUID.test(key)) return { raw: `${entitySet}/${key.toLowerCase()}` };
  return { raw: `${entitySet}('${encodePathSegment(key.replace(/'/g, "''"))}')` };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A query parameter value: the same strict encoding, so a quote in a filter literal is `%27%27`. */
function encodeQueryValue(value: string): string {
  return encodePathSegment(value);
}

/**
 * A relative Graph URL (no host, no version) from a path of segments and query parameters.
 * Segments given as `{ raw }` are trusted constants; strings are encoded. Query keys such as
 * `$select` are constants and keep their `$`.
 */
export function graphPath(
  segments: ReadonlyArray<string | { readonly raw: string }>,
  query: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const path = segments.map((s) => (typeof s === "string" ? encodePathSegment(s) : s.raw)).join("/");
  const params = Object.entries(query)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeQueryValue(String(v))}`);
  return `/${path}${params.length > 0 ? `?${params.join("&")}` : ""}`;
}

/**
 * Turns an absolute `@odata.nextLink` back into a URL relative to the API version, the form a
 * `$batch` sub-request needs (`https://graph.microsoft.com/v1.0/users?$skiptoken=x` →
 * `/users?$skiptoken=x`). With `endpoint` given, a link to another host is refused (undefined):
 * following it inside a batch would send it somewhere else. Undefined too when the link is not
 * under `/{version}/`.
 */
export function relativeToVersion(nextLink: string, version: string, endpoint?: string): string | undefined {
  let pathAndQuery: string;
  const m = /^https?:\/\/([^/?#]+)(.*)$/i.exec(nextLink);
  if (m) {
    const host = (m[1] ?? "").replace(/:\d+$/, "").toLowerCase();
    if (endpoint !== undefined) {
      let expected: string;
      try {
        expected = new URL(endpoint).hostname.toLowerCase();
      } catch {
        return undefined;
      }
      if (host !== expected) return undefined;
    }
    pathAndQuery = m[2] ?? "";
  } else if (nextLink.startsWith("/")) {
    pathAndQuery = nextLink;
  } else {
    return undefined;
  }
  // Kept verbatim (no URL parsing): the skip token must go back exactly as Graph sent it.
  const marker = `/${version}/`;
  const at = pathAndQuery.indexOf(marker);
  const queryAt = pathAndQuery.indexOf("?");
  if (at === -1 || (queryAt !== -1 && at > queryAt)) return undefined;
  return pathAndQuery.slice(at + marker.length - 1);
}
