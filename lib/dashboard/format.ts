/** Small display helpers shared by the views. */
import { CHECKS } from "../checks/registry.js";
import type { CheckId } from "../model/report.js";
import { html, type Html } from "./html.js";

/** 2026-01-01T10:00:00.000Z → 2026-01-01 10:00Z, in a <time> element carrying the exact value. */
export function time(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  const shown = iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z");
  return html`<time datetime="${iso}">${shown}</time>`;
}

export const checkName = (id: CheckId): string => CHECKS[id].meta.shortName;

export function statusBadge(status: string, text: string = status): Html {
  return html`<span class="status status-${status.replace(/[^a-z-]/g, "")}">${text}</span>`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
