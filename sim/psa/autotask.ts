/**
 * Autotask (Datto / Kaseya) REST API v1.0 under /atservicesrest/v1.0, as far as Drift Monitor uses it:
 * - zone discovery, GET /zoneInformation?user=<API user>, answered without the other headers
 *   (OpenAPI: ZoneInformationApiIntegration, https://webservices2.autotask.net/ATServicesRest/swagger/ ;
 *   "ZoneInformation requests are not subject to thread limiting",
 *   https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/General/ThreadLimiting.htm);
 * - authentication by the ApiIntegrationCode, UserName and Secret headers, 401 when they do not
 *   match (https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/General_Topics/REST_Security_Auth.htm);
 * - POST /Companies/query and /Tickets/query with `{"filter":[{"op","field","value"}],"maxRecords"}`
 *   answering `{items, pageDetails:{count, requestCount, prevPageUrl, nextPageUrl}}` (at most 500 a page);
 * - POST /Tickets (answers `{itemId}`), PATCH /Tickets `{id, status}`, GET /Tickets/{id} (`{item}`),
 *   POST /Tickets/{id}/Notes (TicketNotes is a child of Tickets: created through the parent,
 *   https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketsEntity.htm).
 */
import type { JsonObject, JsonValue } from "../types.js";
import { json, pageOf, type PsaRequest, type PsaRoute, type VendorRoutes } from "./routing.js";
import type { PsaSimState, SimStatus, SimTicket } from "./state.js";

/** The Tickets status picklist's defaults: 5 is Complete. */
export const AUTOTASK_STATUSES: readonly SimStatus[] = [
  { id: 1, name: "New", closed: false },
  { id: 8, name: "In Progress", closed: false },
  { id: 5, name: "Complete", closed: true },
];

const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined);
const errors = (status: number, ...messages: string[]) => json(status, { errors: messages });

function ticketJson(t: SimTicket): JsonObject {
  return {
    id: t.id,
    ticketNumber: `T20260101.${String(t.id).padStart(4, "0")}`,
    companyID: t.companyId,
    title: t.summary,
    description: t.description,
    status: t.status,
    priority: t.priority,
    queueID: typeof t.created.queueID === "number" ? t.created.queueID : null,
  };
}

type Row = Record<string, string | number | boolean | null | undefined>;

/** The filter operators the client sends; an unknown one is refused as Autotask refuses it. */
function matches(row: Row, filter: JsonValue[]): boolean | string {
  for (const item of filter) {
    const f = obj(item);
    const field = typeof f?.field === "string" ? Object.keys(row).find((k) => k.toLowerCase() === (f.field as string).toLowerCase()) : undefined;
    if (!f || !field) return `Unknown filter field: ${JSON.stringify(f?.field ?? null)}`;
    const actual = row[field];
    const value = f.value;
    const text = (x: unknown) => String(x ?? "").toLowerCase();
    let ok: boolean;
    if (f.op === "eq") ok = actual === value || (typeof actual === "string" && typeof value === "string" && actual.toLowerCase() === value.toLowerCase());
    else if (f.op === "noteq") ok = actual !== value;
    else if (f.op === "contains") ok = text(actual).includes(text(value));
    else if (f.op === "beginsWith") ok = text(actual).startsWith(text(value));
    else return `Unsupported filter operator: ${JSON.stringify(f.op ?? null)}`;
    if (!ok) return false;
  }
  return true;
}

function query(req: PsaRequest, entity: string, rows: Row[], toJson: (r: Row) => JsonObject) {
  let body = obj(req.json);
  if (req.method === "GET") {
    try {
      body = obj(JSON.parse(req.query.get("search") ?? "{}") as JsonValue);
    } catch {
      return errors(400, "search is not valid JSON");
    }
  }
  const filter = body?.filter;
  if (!Array.isArray(filter) || filter.length === 0) return errors(400, "A query needs at least one filter.");
  const found: Row[] = [];
  for (const row of rows) {
    const m = matches(row, filter);
    if (typeof m === "string") return errors(400, m);
    if (m) found.push(row);
  }
  const max = typeof body?.maxRecords === "number" ? body.maxRecords : 500;
  const page = typeof body?._page === "number" ? body._page : 1;
  const { items, hasMore } = pageOf(found, page, max, 500);
  const next = hasMore ? `${req.origin}/atservicesrest/v1.0/${entity}/query?search=${encodeURIComponent(JSON.stringify({ ...body, _page: page + 1 }))}` : null;
  return json(200, { items: items.map(toJson), pageDetails: { count: items.length, requestCount: max, prevPageUrl: null, nextPageUrl: next } });
}

function createTicket(state: PsaSimState, body: JsonObject | undefined) {
  // dueDateTime: required unless the ticket category defaults it (github.com/WYRE-AI/autotask-mcp/pull/288); the simulator's has no default.
  const missing = ["companyID", "title", "status", "priority", "queueID", "dueDateTime"].filter((f) => body?.[f] === undefined || body[f] === null);
  if (missing.length > 0) return errors(500, ...missing.map((f) => `${f} is required.`));
  const companyId = body!.companyID;
  if (typeof companyId !== "number" || !state.company(companyId)) return errors(500, `companyID ${String(companyId)} does not exist.`);
  if (typeof body!.title !== "string" || body!.title.length > 255) return errors(500, "title must be a string of at most 255 characters.");
  if (typeof body!.status !== "number" || !state.status(body!.status)) return errors(500, `status ${String(body!.status)} is not a Tickets status.`);
  if (typeof body!.dueDateTime !== "string" || Number.isNaN(Date.parse(body!.dueDateTime))) return errors(500, "dueDateTime is not a date.");
  const t = state.addTicket({
    companyId,
    summary: body!.title,
    description: typeof body!.description === "string" ? body!.description : "",
    priority: typeof body!.priority === "number" ? body!.priority : 2,
    status: body!.status,
    created: { ...body },
  });
  return json(200, { itemId: t.id });
}

export function autotaskRoutes(creds: { userName: string; secret: string; integrationCode: string }): VendorRoutes {
  return {
    authenticate: (_state, req) =>
      req.headers.apiintegrationcode === creds.integrationCode && req.headers.username === creds.userName && req.headers.secret === creds.secret,
    route(state, req): PsaRoute | undefined {
      const { method, path } = req;
      if (method === "GET" && /^\/zoneInformation\/?$/i.test(path)) {
        return {
          name: "zoneInformation",
          authenticated: false,
          run: () =>
            req.query.get("user")?.toLowerCase() === creds.userName.toLowerCase()
              ? json(200, { zoneName: "Simulator", url: `${req.origin}/atservicesrest/`, webUrl: req.origin, ci: 1 })
              : errors(404, "Zone information could not be determined for that user."),
        };
      }
      if (/^\/Companies\/query\/?$/i.test(path) && (method === "POST" || method === "GET")) {
        return {
          name: "companies.query",
          authenticated: true,
          run: () =>
            query(
              req,
              "Companies",
              state.companies.map((c) => ({ id: c.id, companyName: c.name })),
              (r) => ({ id: r.id ?? null, companyName: r.companyName ?? null, isActive: true }),
            ),
        };
      }
      if (/^\/Tickets\/query\/?$/i.test(path) && (method === "POST" || method === "GET")) {
        return {
          name: "tickets.query",
          authenticated: true,
          run: () =>
            query(
              req,
              "Tickets",
              state.tickets.map((t) => ticketJson(t) as Row),
              (r) => r as JsonObject,
            ),
        };
      }
      if (/^\/Tickets\/?$/i.test(path) && method === "POST")
        return { name: "tickets.create", authenticated: true, run: () => createTicket(state, obj(req.json)) };
      if (/^\/Tickets\/?$/i.test(path) && method === "PATCH") {
        return {
          name: "tickets.update",
          authenticated: true,
          run: () => {
            const body = obj(req.json);
            const t = typeof body?.id === "number" ? state.ticket(body.id) : undefined;
            if (!t) return errors(404, "id is required and must be an existing ticket.");
            if (body!.status !== undefined) {
              if (typeof body!.status !== "number" || !state.status(body!.status))
                return errors(500, `status ${String(body!.status)} is not a Tickets status.`);
              state.setStatus(t, body!.status);
            }
            return json(200, { itemId: t.id });
          },
        };
      }
      const one = /^\/Tickets\/(\d+)(\/Notes)?\/?$/i.exec(path);
      if (!one) return undefined;
      const ticket = state.ticket(Number(one[1]));
      if (!one[2] && method === "GET") return { name: "tickets.get", authenticated: true, run: () => json(200, { item: ticket ? ticketJson(ticket) : null }) };
      if (one[2] && method === "POST") {
        return {
          name: "notes.create",
          authenticated: true,
          run: () => {
            if (!ticket) return errors(404, `Ticket ${one[1]} not found.`);
            const body = obj(req.json);
            if (typeof body?.description !== "string" || typeof body.noteType !== "number" || typeof body.publish !== "number") {
              return errors(500, "description, noteType and publish are required.");
            }
            const note = state.addNote(ticket, body.description, body.publish !== 1);
            return json(200, { itemId: note.id });
          },
        };
      }
      return undefined;
    },
  };
}
