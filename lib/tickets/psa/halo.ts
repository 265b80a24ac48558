/**
 * HaloPSA through its API (the reference is served by each instance at /apidoc; not reachable from
 * here, so the shapes follow CIPP's Halo integration, github.com/KelvinTegelaar/CIPP-API
 * Modules/CippExtensions/Public/Halo/*.ps1, and the HaloAPI PowerShell module,
 * github.com/homotechsual/HaloAPI):
 * - a token by OAuth 2.0 client credentials, POST <base>/auth/token (form: grant_type,
 *   client_id, client_secret, scope=all; `tenant=` for Halo-hosted instances), kept until shortly
 *   before expires_in and fetched again once on a 401;
 * - GET /api/Client?search=, GET /api/Tickets?client_id=&search_details= (`{record_count, tickets}`),
 *   GET /api/Tickets/{id}; POST /api/Tickets with an array of one ticket creates it (summary,
 *   details, client_id, priority_id, status_id) or, with `id`, updates it (status_id);
 *   POST /api/Actions with an array of one action adds a note (hiddenfromuser: internal). Halo
 *   refuses an action without an outcome ("An Outcome must be entered for this Action"); CIPP
 *   sends outcome_id 7, the built-in Internal Note outcome, when none is configured
 *   (New-HaloPSATicket.ps1), and so does this client unless PSA_HALO_NOTE_OUTCOME_ID says otherwise;
 * - wrong client credentials: the token request answers 401 invalid_client
 *   (github.com/homotechsual/HaloAPI/issues/19); priorities are per SLA and instance (CIPP's
 *   Get-HaloPriority.ps1 lists them with GET /api/Priority), so the defaults are only a start;
 * - Halo tickets have no reference field for another system's id that could be verified, so the
 *   key is a marker line in the details, searched with search_details and checked exactly.
 * Rate: no published request budget could be verified; the default pace is one call a second.
 */
import { z } from "zod";
import { priorityFor, type PriorityMap } from "./priority.js";
import { PsaError, PsaTransport, type PsaRequestSpec, type TransportDeps, type TransportPolicy } from "./transport.js";
import { hasMarker, markerOf, psaTicket, type NewTicket, type PsaClient, type PsaTicket, type TicketKey, type TicketStatus } from "./types.js";

export interface HaloSettings {
  /** The instance, e.g. https://example.halopsa.com (the API is <base>/api, the token <base>/auth/token). */
  readonly baseUrl: string;
  /** Halo-hosted instances name their tenant on the token request. */
  readonly tenant?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly openStatusId: number;
  readonly closedStatusId: number;
  readonly priorities: PriorityMap;
  /** The action outcome a note is written with (Halo's built-in Internal Note is 7). */
  readonly noteOutcomeId: number;
}

const HALO_POLICY: TransportPolicy = { timeoutMs: 20_000, maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 30_000, concurrency: 2, minIntervalMs: 1_000 };

/** A token is renewed this long before Halo says it expires, so no call goes out with one about to lapse. */
const TOKEN_MARGIN_MS = 60_000;
const MAX_PAGES = 10;
const PAGE_SIZE = 100;

const Ticket = z
  .object({
    id: z.number().int(),
    summary: z.string(),
    details: z.string().nullish(),
    client_id: z.number().int(),
    status_id: z.number().int(),
    hasbeenclosed: z.boolean().optional(),
  })
  .loose();
const Token = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() }).loose();

export function haloClient(settings: HaloSettings, deps: TransportDeps = {}, policy: TransportPolicy = HALO_POLICY): PsaClient {
  const http = new PsaTransport("halo", policy, [settings.clientSecret], deps);
  const now = deps.now ?? (() => new Date());
  const base = settings.baseUrl.replace(/\/+$/, "");
  let token: { value: string; untilMs: number } | undefined;

  const fetchToken = async (): Promise<string> => {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: settings.clientId, client_secret: settings.clientSecret, scope: "all" });
    const query = settings.tenant ? `?${new URLSearchParams({ tenant: settings.tenant })}` : "";
    const answer = await http.send({ method: "POST", url: `${base}/auth/token${query}`, body: form, what: "token request" }, Token);
    // Halo's expires_in is honoured up to an hour: a token is never kept longer than that.
    const lifetimeMs = Math.min((answer.expires_in ?? 3600) * 1000, 3_600_000);
    http.addSecret(answer.access_token, token?.value);
    token = { value: answer.access_token, untilMs: now().getTime() + lifetimeMs - TOKEN_MARGIN_MS };
    return answer.access_token;
  };
  const call = async <T>(spec: Omit<PsaRequestSpec, "headers">, schema: z.ZodType<T>): Promise<T> => {
    const current = token && token.untilMs > now().getTime() ? token.value : await fetchToken();
    try {
      return await http.send({ ...spec, headers: { Authorization: `Bearer ${current}` } }, schema);
    } catch (err) {
      if (!(err instanceof PsaError) || err.status !== 401) throw err;
      const fresh = await fetchToken();
      return http.send({ ...spec, headers: { Authorization: `Bearer ${fresh}` } }, schema);
    }
  };
  const toTicket = (t: z.infer<typeof Ticket>): PsaTicket =>
    psaTicket({ id: t.id, companyId: t.client_id, summary: t.summary, statusId: t.status_id }, settings.closedStatusId);
  const getTicket = async (ticketId: string): Promise<PsaTicket | undefined> => {
    try {
      return toTicket(await call({ method: "GET", url: `${base}/api/Tickets/${Number(ticketId)}`, what: "ticket read" }, Ticket));
    } catch (err) {
      if (err instanceof PsaError && err.status === 404) return undefined;
      throw err;
    }
  };
  const findTicketByKey = async (companyId: string, key: TicketKey): Promise<PsaTicket | undefined> => {
    const found: z.infer<typeof Ticket>[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const query = new URLSearchParams({
        client_id: String(Number(companyId)),
        search_details: markerOf(key),
        pageinate: "true",
        page_size: String(PAGE_SIZE),
        page_no: String(page),
      });
      const answer = await call(
        { method: "GET", url: `${base}/api/Tickets?${query}`, what: "ticket search" },
        z.object({ record_count: z.number(), tickets: z.array(Ticket) }).loose(),
      );
      found.push(...answer.tickets.filter((t) => hasMarker(t.details ?? "", key)));
      if (answer.tickets.length < PAGE_SIZE || page * PAGE_SIZE >= answer.record_count) break;
    }
    const newest = found.sort((a, b) => b.id - a.id)[0];
    return newest ? toTicket(newest) : undefined;
  };
  return {
    vendor: "halo",
    async findCompany(name) {
      const answer = await call(
        { method: "GET", url: `${base}/api/Client?${new URLSearchParams({ search: name })}`, what: "company lookup" },
        z.object({ clients: z.array(z.object({ id: z.number().int(), name: z.string() }).loose()) }).loose(),
      );
      // search matches parts of names: only the exact name (any case) is the mapped company.
      const exact = answer.clients.find((c) => c.name.toLowerCase() === name.toLowerCase());
      return exact ? { id: String(exact.id), name: exact.name } : undefined;
    },
    findTicketByKey,
    createTicket(ticket: NewTicket) {
      const body = [
        {
          summary: ticket.summary,
          details: `${ticket.description}\n\n${markerOf(ticket.key)}`,
          client_id: Number(ticket.companyId),
          priority_id: priorityFor(settings.priorities, ticket.severity),
          status_id: settings.openStatusId,
        },
      ];
      return http.createOnce(
        async () => toTicket(await call({ method: "POST", url: `${base}/api/Tickets`, body, what: "ticket create", retry: "throttle" }, Ticket)),
        () => findTicketByKey(ticket.companyId, ticket.key),
      );
    },
    async addNote(ticketId, text) {
      const body = [{ ticket_id: Number(ticketId), outcome_id: settings.noteOutcomeId, note_html: text, hiddenfromuser: true }];
      await call({ method: "POST", url: `${base}/api/Actions`, body, what: "note add", retry: "throttle" }, z.object({ id: z.number() }).loose());
    },
    async setStatus(ticketId, status: TicketStatus) {
      const body = [{ id: Number(ticketId), status_id: status === "closed" ? settings.closedStatusId : settings.openStatusId }];
      return toTicket(await call({ method: "POST", url: `${base}/api/Tickets`, body, what: "status change" }, Ticket));
    },
    getTicket,
  };
}
