/**
 * ConnectWise PSA (Manage) REST API 3.0 under /v4_6_release/apis/3.0, as far as Drift Monitor uses it:
 * - authentication: `Authorization: Basic base64(company+publicKey:privateKey)` and the `clientId`
 *   header every call must carry (ConnectWise developer guide, "ClientIds" and "Authentication",
 *   https://developer.connectwise.com/Products/ConnectWise_PSA/REST ; mirrored in
 *   https://app.preshmarketingsolutions.com/help/connectwise-developer-documentation);
 * - GET /company/companies?conditions=identifier="X", GET/POST /service/tickets (conditions on
 *   externalXRef, company/id, closedFlag), GET/PATCH /service/tickets/{id} (JSON Patch),
 *   POST /service/tickets/{id}/notes;
 * - pagination with page/pageSize (default 25, at most 1000) and a `Link: <…>; rel="next"` header.
 */
import type { JsonObject, JsonValue } from "../types.js";
import { json, pageOf, type PsaRequest, type PsaRoute, type VendorRoutes } from "./routing.js";
import type { PsaSimState, SimStatus, SimTicket } from "./state.js";

/** A default service board's statuses; `closed` is the board status's "Closed" flag. */
export const CONNECTWISE_STATUSES: readonly SimStatus[] = [
  { id: 1, name: "New", closed: false },
  { id: 2, name: "In Progress", closed: false },
  { id: 3, name: "Re-opened", closed: false },
  { id: 5, name: "Closed", closed: true },
];

type Condition = { field: string; value: string | number | boolean };

/** `field = "text" and other/id = 12 and flag = false`: the subset of the conditions grammar the client sends. */
export function parseConditions(text: string): Condition[] | string {
  const out: Condition[] = [];
  for (const part of text.split(/\s+and\s+/i)) {
    const m = /^\s*([A-Za-z][\w/]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\d+)|(true|false))\s*$/i.exec(part);
    if (!m) return `Invalid condition: ${part}`;
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3] !== undefined ? Number(m[3]) : m[4]!.toLowerCase() === "true";
    out.push({ field: m[1]!.toLowerCase(), value });
  }
  return out;
}

/** No `conditions` parameter: every row, as ConnectWise answers. */
const conditionsOf = (req: PsaRequest): Condition[] | string => {
  const text = req.query.get("conditions");
  return text === null ? [] : parseConditions(text);
};

function ticketJson(state: PsaSimState, t: SimTicket): JsonObject {
  const company = state.company(t.companyId);
  const status = state.status(t.status);
  return {
    id: t.id,
    summary: t.summary,
    recordType: "ServiceTicket",
    board: (t.created.board as JsonValue | undefined) ?? null,
    status: { id: t.status, name: status?.name ?? "" },
    company: { id: t.companyId, identifier: company?.identifier ?? "", name: company?.name ?? "" },
    priority: { id: t.priority },
    externalXRef: t.externalRef ?? null,
    closedFlag: t.closed,
  };
}

const TICKET_FIELDS: Record<string, (state: PsaSimState, t: SimTicket) => string | number | boolean | undefined> = {
  id: (_s, t) => t.id,
  externalxref: (_s, t) => t.externalRef,
  "company/id": (_s, t) => t.companyId,
  closedflag: (_s, t) => t.closed,
  summary: (_s, t) => t.summary,
};

function paged(req: PsaRequest, rows: JsonValue[]) {
  const page = Number(req.query.get("page") ?? "1");
  const size = Number(req.query.get("pageSize") ?? "25");
  const { items, hasMore } = pageOf(rows, page, size, 1000);
  const headers: Record<string, string> = {};
  if (hasMore) {
    const next = new URL(`${req.origin}/v4_6_release/apis/3.0${req.path}`);
    req.query.forEach((v, k) => next.searchParams.set(k, v));
    next.searchParams.set("page", String(Math.max(1, page) + 1));
    headers.Link = `<${next.toString()}>; rel="next"`;
  }
  return json(200, items, headers);
}

const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined);
const idOf = (v: JsonValue | undefined): number | undefined => {
  const id = obj(v)?.id;
  return typeof id === "number" ? id : undefined;
};

function createTicket(state: PsaSimState, body: JsonObject | undefined) {
  const summary = body?.summary;
  const companyId = idOf(body?.company);
  const boardId = idOf(body?.board);
  if (typeof summary !== "string" || summary.length === 0 || summary.length > 100)
    return json(400, { code: "InvalidObject", message: "summary is required (at most 100 characters)." });
  if (companyId === undefined || !state.company(companyId)) return json(400, { code: "InvalidObject", message: "company is required and must exist." });
  // The Swagger model has board optional (an instance may default one); the sim requires it so a
  // client that forgets it fails here rather than on an instance without a default board.
  if (boardId === undefined) return json(400, { code: "InvalidObject", message: "board is required." });
  const ref = body?.externalXRef;
  const ticket = state.addTicket({
    companyId,
    summary,
    description: typeof body?.initialDescription === "string" ? body.initialDescription : "",
    externalRef: typeof ref === "string" ? ref : undefined,
    priority: idOf(body?.priority) ?? 3,
    status: idOf(body?.status) ?? 1,
    created: { ...body },
  });
  return json(201, ticketJson(state, ticket));
}

function patchTicket(state: PsaSimState, t: SimTicket, body: JsonValue | undefined) {
  if (!Array.isArray(body)) return json(400, { code: "InvalidObject", message: "PATCH takes a JSON Patch array." });
  for (const op of body) {
    const o = obj(op);
    const path = typeof o?.path === "string" ? o.path.replace(/^\//, "").toLowerCase() : "";
    const value = o?.value;
    const id = typeof value === "number" ? value : idOf(value);
    if (o?.op !== "replace" || id === undefined || !["status", "status/id", "priority", "priority/id"].includes(path)) {
      return json(400, { code: "InvalidObject", message: `Unsupported patch operation: ${JSON.stringify(op)}` });
    }
    if (path.startsWith("status")) {
      if (!state.status(id)) return json(400, { code: "InvalidObject", message: `status ${id} is not a status of the ticket's board.` });
      state.setStatus(t, id);
    } else t.priority = id;
  }
  return json(200, ticketJson(state, t));
}

export function connectwiseRoutes(creds: { company: string; publicKey: string; privateKey: string; clientId: string }): VendorRoutes {
  const expected = `Basic ${Buffer.from(`${creds.company}+${creds.publicKey}:${creds.privateKey}`).toString("base64")}`;
  return {
    authenticate: (_state, req) => req.headers.authorization === expected && req.headers.clientid === creds.clientId,
    route(state, req): PsaRoute | undefined {
      const { method, path } = req;
      if (method === "GET" && /^\/company\/companies\/?$/i.test(path)) {
        return {
          name: "companies.query",
          authenticated: true,
          run: () => {
            const conditions = conditionsOf(req);
            if (typeof conditions === "string") return json(400, { code: "InvalidObject", message: conditions });
            const rows = state.companies.filter((c) =>
              conditions.every(
                ({ field, value }) => (field === "identifier" ? c.identifier : field === "name" ? c.name : field === "id" ? c.id : undefined) === value,
              ),
            );
            return paged(
              req,
              rows.map((c) => ({ id: c.id, identifier: c.identifier, name: c.name })),
            );
          },
        };
      }
      if (/^\/service\/tickets\/?$/i.test(path) && (method === "GET" || method === "POST")) {
        if (method === "POST") return { name: "tickets.create", authenticated: true, run: () => createTicket(state, obj(req.json)) };
        return {
          name: "tickets.query",
          authenticated: true,
          run: () => {
            const conditions = conditionsOf(req);
            if (typeof conditions === "string") return json(400, { code: "InvalidObject", message: conditions });
            const unknown = conditions.find((c) => !(c.field in TICKET_FIELDS));
            if (unknown) return json(400, { code: "InvalidObject", message: `Unknown field in conditions: ${unknown.field}` });
            const rows = state.tickets.filter((t) => conditions.every(({ field, value }) => TICKET_FIELDS[field]!(state, t) === value));
            if (/^id\s+desc$/i.test(req.query.get("orderBy") ?? "")) rows.reverse();
            return paged(
              req,
              rows.map((t) => ticketJson(state, t)),
            );
          },
        };
      }
      const one = /^\/service\/tickets\/(\d+)(\/notes)?\/?$/i.exec(path);
      if (!one) return undefined;
      const ticket = state.ticket(Number(one[1]));
      const missing = () => json(404, { code: "NotFound", message: `Ticket ${one[1]} not found.` });
      if (one[2] && method === "POST") {
        return {
          name: "notes.create",
          authenticated: true,
          run: () => {
            if (!ticket) return missing();
            const body = obj(req.json);
            const flags = ["detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag"].filter((f) => body?.[f] === true);
            if (typeof body?.text !== "string" || body.text === "" || flags.length === 0) {
              return json(400, { code: "InvalidObject", message: "text and one of detailDescriptionFlag, internalAnalysisFlag, resolutionFlag are required." });
            }
            const note = state.addNote(ticket, body.text, body.internalAnalysisFlag === true);
            return json(201, { id: note.id, ticketId: ticket.id, text: note.text, internalAnalysisFlag: note.internal });
          },
        };
      }
      if (one[2]) return undefined;
      if (method === "GET") return { name: "tickets.get", authenticated: true, run: () => (ticket ? json(200, ticketJson(state, ticket)) : missing()) };
      if (method === "PATCH") return { name: "tickets.update", authenticated: true, run: () => (ticket ? patchTicket(state, ticket, req.json) : missing()) };
      return undefined;
    },
  };
}
