/**
 * HaloPSA's API as far as Drift Monitor uses it:
 * - OAuth 2.0 client credentials at POST /auth/token (form: grant_type=client_credentials,
 *   client_id, client_secret, scope=all; `?tenant=` on hosted instances), answering a bearer
 *   token with expires_in (the community HaloAPI module's Connect-HaloAPI,
 *   https://www.powershellgallery.com/packages/HaloAPI/1.14.0/Content/Public%5CConnect-HaloAPI.ps1 ;
 *   CIPP's Get-HaloToken, github.com/KelvinTegelaar/CIPP-API Modules/CippExtensions/Public/Halo/Get-HaloToken.ps1;
 *   Halo's own API reference sits in each instance at /apidoc and was not reachable from here);
 * - GET /api/Client?search=, GET /api/Tickets (client_id, search_details, pageinate, page_size,
 *   page_no; answers `{record_count, tickets}`), GET /api/Tickets/{id};
 * - POST /api/Tickets with an array of one ticket: without `id` it creates, with `id` it updates
 *   (status_id); POST /api/Actions with an array of one action (ticket_id, outcome, note_html,
 *   hiddenfromuser) adds a note (CIPP's New-HaloPSATicket.ps1 uses both).
 */
import { randomBytes } from "node:crypto";
import type { JsonObject, JsonValue } from "../types.js";
import { json, pageOf, type PsaRequest, type PsaRoute, type VendorRoutes } from "./routing.js";
import type { PsaSimState, SimStatus, SimTicket } from "./state.js";

/** Halo's default ticket statuses: 9 is Closed. */
export const HALO_STATUSES: readonly SimStatus[] = [
  { id: 1, name: "New", closed: false },
  { id: 2, name: "In Progress", closed: false },
  { id: 9, name: "Closed", closed: true },
];

const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined);

function ticketJson(state: PsaSimState, t: SimTicket): JsonObject {
  return {
    id: t.id,
    summary: t.summary,
    details: t.description,
    client_id: t.companyId,
    client_name: state.company(t.companyId)?.name ?? "",
    status_id: t.status,
    priority_id: t.priority,
    hasbeenclosed: t.closed,
  };
}

function paged(req: PsaRequest, key: string, rows: JsonObject[]) {
  if (req.query.get("pageinate") !== "true") return json(200, { record_count: rows.length, [key]: rows });
  const { items } = pageOf(rows, Number(req.query.get("page_no") ?? "1"), Number(req.query.get("page_size") ?? "50"), 100);
  return json(200, { page_no: Number(req.query.get("page_no") ?? "1"), page_size: items.length, record_count: rows.length, [key]: items });
}

/** The one element of the array Halo's POST endpoints take. */
function single(body: JsonValue | undefined): JsonObject | string {
  if (!Array.isArray(body) || body.length !== 1 || !obj(body[0])) return "The body must be an array of one object.";
  return obj(body[0])!;
}

function saveTicket(state: PsaSimState, body: JsonValue | undefined) {
  const t = single(body);
  if (typeof t === "string") return json(400, { message: t });
  const statusId = typeof t.status_id === "number" ? t.status_id : undefined;
  if (statusId !== undefined && !state.status(statusId)) return json(400, { message: `status_id ${statusId} does not exist.` });
  if (typeof t.id === "number") {
    const existing = state.ticket(t.id);
    if (!existing) return json(404, { message: `Ticket ${t.id} not found.` });
    if (statusId !== undefined) state.setStatus(existing, statusId);
    if (typeof t.priority_id === "number") existing.priority = t.priority_id;
    return json(201, ticketJson(state, existing));
  }
  if (typeof t.summary !== "string" || t.summary === "") return json(400, { message: "summary is required." });
  if (typeof t.client_id !== "number" || !state.company(t.client_id)) return json(400, { message: "client_id is required and must exist." });
  const details = typeof t.details_html === "string" ? t.details_html : typeof t.details === "string" ? t.details : "";
  const created = state.addTicket({
    companyId: t.client_id,
    summary: t.summary,
    description: details,
    priority: typeof t.priority_id === "number" ? t.priority_id : 4,
    status: statusId ?? 1,
    created: { ...t },
  });
  return json(201, ticketJson(state, created));
}

export function haloRoutes(creds: { clientId: string; clientSecret: string }): VendorRoutes {
  return {
    authenticate: (state, req) => {
      const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
      return m !== null && state.tokens.has(m[1]!);
    },
    route(state, req): PsaRoute | undefined {
      const { method, path } = req;
      if (method === "POST" && /^\/auth\/token\/?$/i.test(path)) {
        return {
          name: "token",
          authenticated: false,
          run: () => {
            const form = new URLSearchParams(req.text);
            if (form.get("grant_type") !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
            if (form.get("client_id") !== creds.clientId || form.get("client_secret") !== creds.clientSecret) return json(401, { error: "invalid_client" });
            const token = randomBytes(24).toString("base64url");
            state.tokens.add(token);
            return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope: form.get("scope") ?? "all" });
          },
        };
      }
      if (method === "GET" && /^\/api\/Client\/?$/i.test(path)) {
        return {
          name: "companies.query",
          authenticated: true,
          run: () => {
            const search = (req.query.get("search") ?? "").toLowerCase();
            const rows = state.companies.filter((c) => c.name.toLowerCase().includes(search));
            return paged(
              req,
              "clients",
              rows.map((c) => ({ id: c.id, name: c.name, inactive: false })),
            );
          },
        };
      }
      if (/^\/api\/Tickets\/?$/i.test(path)) {
        if (method === "POST") return { name: "tickets.save", authenticated: true, run: () => saveTicket(state, req.json) };
        if (method !== "GET") return undefined;
        return {
          name: "tickets.query",
          authenticated: true,
          run: () => {
            const client = req.query.get("client_id");
            const details = req.query.get("search_details")?.toLowerCase();
            const rows = state.tickets.filter(
              (t) => (client === null || t.companyId === Number(client)) && (details === undefined || t.description.toLowerCase().includes(details)),
            );
            return paged(
              req,
              "tickets",
              rows.map((t) => ticketJson(state, t)),
            );
          },
        };
      }
      const one = /^\/api\/Tickets\/(\d+)\/?$/i.exec(path);
      if (one && method === "GET") {
        const ticket = state.ticket(Number(one[1]));
        return {
          name: "tickets.get",
          authenticated: true,
          run: () => (ticket ? json(200, ticketJson(state, ticket)) : json(404, { message: "Ticket not found." })),
        };
      }
      if (method === "POST" && /^\/api\/Actions\/?$/i.test(path)) {
        return {
          name: "notes.create",
          authenticated: true,
          run: () => {
            const a = single(req.json);
            if (typeof a === "string") return json(400, { message: a });
            const ticket = typeof a.ticket_id === "number" ? state.ticket(a.ticket_id) : undefined;
            if (!ticket) return json(400, { message: "ticket_id is required and must exist." });
            // Halo's answer to an action without an outcome, as CIPP's New-HaloPSATicket.ps1 quotes it.
            if (typeof a.outcome_id !== "number") return json(400, { message: "An Outcome must be entered for this Action" });
            const text = typeof a.note_html === "string" ? a.note_html : typeof a.note === "string" ? a.note : "";
            if (text === "") return json(400, { message: "note_html is required." });
            const note = state.addNote(ticket, text, a.hiddenfromuser === true);
            return json(201, { id: note.id, ticket_id: ticket.id, outcome_id: a.outcome_id, hiddenfromuser: note.internal });
          },
        };
      }
      return undefined;
    },
  };
}
