/**
 * ConnectWise PSA (Manage) through its REST API 3.0 (https://developer.connectwise.com/Products/ConnectWise_PSA/REST,
 * behind a partner login; the ClientId and authentication pages are mirrored at
 * https://app.preshmarketingsolutions.com/help/connectwise-developer-documentation):
 * - every call: `Authorization: Basic base64("<company>+<publicKey>:<privateKey>")` of an API
 *   member's keys and the `clientId` header of a registered integration;
 * - the ticket's key goes into `externalXRef` (a Ticket string field for a reference in another
 *   system, searchable with `conditions=externalXRef="…"`) and, for people, as a marker line in the
 *   description. Ticket and ServiceNote fields as ConnectWise's Swagger defines them, in the clients
 *   generated from it: github.com/spinen/connectwise-service-php-client docs/Model/Ticket.md
 *   (summary and company required; externalXRef; initialDescription "only available for POST";
 *   closedFlag) and docs/Model/ServiceNote.md (text, detailDescriptionFlag, internalAnalysisFlag,
 *   resolutionFlag); community scripts filter on externalXRef the same way (Tactical RMM's CWM alerts);
 * - notes are POST /service/tickets/{id}/notes with `internalAnalysisFlag` (internal, not mailed);
 * - status changes are PATCH with a JSON Patch array replacing `status` with `{id}`.
 * Rate: ConnectWise publishes no request budget for cloud instances that could be verified here
 * (third-party guides say 60 a minute); the default pace keeps well under that.
 */
import { z } from "zod";
import { priorityFor, type PriorityMap } from "./priority.js";
import { PsaError, PsaTransport, type TransportDeps, type TransportPolicy } from "./transport.js";
import { markerOf, psaTicket, type NewTicket, type PsaClient, type PsaTicket, type TicketKey, type TicketStatus } from "./types.js";

export interface ConnectWiseSettings {
  /** e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0 */
  readonly baseUrl: string;
  readonly company: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly clientId: string;
  readonly boardId: number;
  readonly openStatusId: number;
  readonly closedStatusId: number;
  readonly priorities: PriorityMap;
}

const CONNECTWISE_POLICY: TransportPolicy = {
  timeoutMs: 20_000,
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  concurrency: 2,
  minIntervalMs: 1_000,
};

const Reference = z.object({ id: z.number().int() }).loose();
const Ticket = z
  .object({
    id: z.number().int(),
    summary: z.string(),
    company: Reference,
    status: Reference,
    closedFlag: z.boolean().optional(),
  })
  .loose();
const Company = z.object({ id: z.number().int(), identifier: z.string(), name: z.string() }).loose();

/** A conditions string literal: quotes and backslashes escaped. */
const literal = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export function connectwiseClient(settings: ConnectWiseSettings, deps: TransportDeps = {}, policy: TransportPolicy = CONNECTWISE_POLICY): PsaClient {
  const basic = Buffer.from(`${settings.company}+${settings.publicKey}:${settings.privateKey}`).toString("base64");
  const http = new PsaTransport("connectwise", policy, [settings.privateKey, settings.publicKey, basic], deps);
  const headers = { Authorization: `Basic ${basic}`, clientId: settings.clientId };
  const base = settings.baseUrl.replace(/\/+$/, "");
  const toTicket = (t: z.infer<typeof Ticket>): PsaTicket =>
    psaTicket({ id: t.id, companyId: t.company.id, summary: t.summary, statusId: t.status.id, closed: t.closedFlag }, settings.closedStatusId);
  const findTicketByKey = async (companyId: string, key: TicketKey): Promise<PsaTicket | undefined> => {
    const query = new URLSearchParams({
      conditions: `externalXRef = ${literal(key)} and company/id = ${Number(companyId)}`,
      orderBy: "id desc",
      pageSize: "1",
    });
    const rows = await http.send({ method: "GET", url: `${base}/service/tickets?${query}`, headers, what: "ticket search" }, z.array(Ticket));
    return rows[0] ? toTicket(rows[0]) : undefined;
  };
  const getTicket = async (ticketId: string): Promise<PsaTicket | undefined> => {
    try {
      return toTicket(await http.send({ method: "GET", url: `${base}/service/tickets/${Number(ticketId)}`, headers, what: "ticket read" }, Ticket));
    } catch (err) {
      if (err instanceof PsaError && err.status === 404) return undefined;
      throw err;
    }
  };
  return {
    vendor: "connectwise",
    async findCompany(identifier) {
      const query = new URLSearchParams({ conditions: `identifier = ${literal(identifier)}`, pageSize: "2" });
      const rows = await http.send({ method: "GET", url: `${base}/company/companies?${query}`, headers, what: "company lookup" }, z.array(Company));
      return rows[0] ? { id: String(rows[0].id), name: rows[0].name } : undefined;
    },
    findTicketByKey,
    createTicket(ticket: NewTicket) {
      const body = {
        summary: ticket.summary.slice(0, 100),
        recordType: "ServiceTicket",
        board: { id: settings.boardId },
        company: { id: Number(ticket.companyId) },
        priority: { id: priorityFor(settings.priorities, ticket.severity) },
        externalXRef: ticket.key,
        initialDescription: `${ticket.description}\n\n${markerOf(ticket.key)}`,
      };
      return http.createOnce(
        async () =>
          toTicket(await http.send({ method: "POST", url: `${base}/service/tickets`, headers, body, what: "ticket create", retry: "throttle" }, Ticket)),
        () => findTicketByKey(ticket.companyId, ticket.key),
      );
    },
    async addNote(ticketId, text) {
      const body = { text, internalAnalysisFlag: true, detailDescriptionFlag: false, resolutionFlag: false };
      await http.send(
        { method: "POST", url: `${base}/service/tickets/${Number(ticketId)}/notes`, headers, body, what: "note add", retry: "throttle" },
        z.object({ id: z.number() }).loose(),
      );
    },
    async setStatus(ticketId, status: TicketStatus) {
      const id = status === "closed" ? settings.closedStatusId : settings.openStatusId;
      const body = [{ op: "replace", path: "status", value: { id } }];
      return toTicket(await http.send({ method: "PATCH", url: `${base}/service/tickets/${Number(ticketId)}`, headers, body, what: "status change" }, Ticket));
    },
    getTicket,
  };
}
