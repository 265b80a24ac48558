/**
 * HTML built by a tagged template that escapes every interpolated value: `html\`<td>${name}</td>\``
 * escapes `name` with lib/alerts/escape.ts (markup characters, and controls/bidi shown visibly).
 * Only a value that is itself `Html` (built by this template, or `trusted()` for our own constant
 * markup) passes unescaped, so a tenant's text cannot become markup by forgetting to escape it.
 * Written here rather than taken from a library: it is twenty lines over the project's own escaper,
 * which the emails already use, so the dashboard and the emails show hostile names the same way.
 */
import { escapeHtml } from "../alerts/escape.js";

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join("");
  return escapeHtml(String(part as string | number | boolean));
}

export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => (out += render(v) + (strings[i + 1] ?? "")));
  return new Html(out);
}

/** Our own constant markup (never a value from a tenant or a request). */
export const trusted = (markup: string): Html => new Html(markup);

/** A query string from parameters, each value percent-encoded (then HTML-escaped where it is interpolated). */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
