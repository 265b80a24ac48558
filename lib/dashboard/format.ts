/** Small display helpers shared by the views. */
import { checkOf } from "../checks/registry.js";
import { html, type Html } from "./html.js";

/** 2026-01-01T10:00:00.000Z → 2026-01-01 10:00Z, in a <time> element carrying the exact value. */
export function time(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  const shown = iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z");
  return html`<time datetime="${iso}">${shown}</time>`;
}

/** A stored check id this version no longer has is shown as it is. */
export const checkName = (id: string): string => checkOf(id)?.meta.shortName ?? id;

export function statusBadge(status: string, text: string = status): Html {
  return html`<span class="status status-${status.replace(/[^a-z-]/g, "")}">${text}</span>`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
