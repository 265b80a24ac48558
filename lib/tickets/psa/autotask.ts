/**
 * Autotask PSA through its REST API v1.0:
 * - the API user's zone is looked up once, GET <lookup>/v1.0/zoneInformation?user=<UserName>
 *   (answers `{url}`; ZoneInformation operation of the REST API's OpenAPI document);
 * - every call carries the ApiIntegrationCode (the API user's tracking identifier), UserName and
 *   Secret headers of an API-only user; a wrong set answers 401
 *   (https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/General_Topics/REST_Security_Auth.htm);
 * - Tickets: POST /Tickets (companyID, title, description, status, priority, queueID, dueDateTime), PATCH
 *   /Tickets {id, status}, GET /Tickets/{id}, POST /Tickets/query with a filter array
 *   (https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketsEntity.htm). The
 *   entity page does not list which fields a create requires; integrations report that Autotask
 *   answers 500 "dueDateTime is required." unless the ticket category gives a default due date
 *   (https://github.com/WYRE-AI/autotask-mcp/pull/288) and that a queueID (or an assigned resource
 *   and role) is required (https://github.com/opendns/autotask-php/issues/75), so both are sent;
 *   notes through the parent, POST /Tickets/{id}/Notes (TicketNotes: title, description, noteType,
 *   publish; https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/TicketNotesEntity.htm:
 *   a title is required when the ticket category says so, hence always sent; noteType and publish
 *   are picklists, 1 "Task Summary" and 2 "Internal Project Team" on the instances
 *   github.com/WYRE-AI/autotask-mcp was written against, src/utils staff-tools picklist labels;
 *   the child URL as the REST API's Swagger lists it, e.g. github.com/aenichols/ATREST-CSharp-Client
 *   docs/TicketNotesChildApi.md);
 * - Tickets has no reference field for another system's id, so the key lives as a marker line in
 *   the description, found with a `contains` filter on description plus the companyID, and each
 *   hit checked for the exact marker;
 * - limits: three threads at once per endpoint and tracking identifier
 *   (https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/General/ThreadLimiting.htm) and
 *   10,000 requests an hour per database, shared by every integration
 *   (https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/General_Topics/REST_Thresholds_Limits.htm):
 *   at most 3 in flight and one a second (3,600 an hour) leaves most of the budget to the others.
 */
import { z } from "zod";
import { priorityFor, type PriorityMap } from "./priority.js";
import { PsaError, PsaTransport, type TransportDeps, type TransportPolicy } from "./transport.js";
import { hasMarker, markerOf, psaTicket, type NewTicket, type PsaClient, type PsaTicket, type TicketKey, type TicketStatus } from "./types.js";

export interface AutotaskSettings {
  /** Where the zone is looked up, https://webservices.autotask.net/atservicesrest by default; or the zone's own URL when `zoneKnown`. */
  readonly lookupUrl: string;
  /** True when lookupUrl already is the zone's API (no zoneInformation call). */
  readonly zoneKnown: boolean;
  readonly userName: string;
  readonly secret: string;
  readonly integrationCode: string;
  readonly queueId: number;
  readonly openStatusId: number;
  readonly closedStatusId: number;
  readonly priorities: PriorityMap;
}

const AUTOTASK_POLICY: TransportPolicy = {
  timeoutMs: 30_000,
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  concurrency: 3,
  minIntervalMs: 1_000,
};

/** Pages of 500 a ticket search follows at most: a company with more than 5,000 matching tickets is not what a key finds. */
const MAX_PAGES = 10;

const Ticket = z
  .object({ id: z.number().int(), companyID: z.number().int(), title: z.string(), description: z.string().nullish(), status: z.number().int() })
  .loose();
const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), pageDetails: z.object({ nextPageUrl: z.string().nullish() }).loose().optional() }).loose();
const Created = z.object({ itemId: z.number().int() }).loose();

const HOUR_MS = 3_600_000;
/** When a new ticket is due, by severity: Autotask needs a due date (see above), and the finding's severity says how soon. */
const DUE_HOURS: Record<NewTicket["severity"], number> = { now: 4, soon: 24, notice: 72 };

export function autotaskClient(settings: AutotaskSettings, deps: TransportDeps = {}, policy: TransportPolicy = AUTOTASK_POLICY): PsaClient {
  const http = new PsaTransport("autotask", policy, [settings.secret, settings.integrationCode], deps);
  const headers = { ApiIntegrationCode: settings.integrationCode, UserName: settings.userName, Secret: settings.secret };
  let zone: Promise<string> | undefined;
  const api = (): Promise<string> => {
    const root = settings.lookupUrl.replace(/\/+$/, "");
    if (settings.zoneKnown) return Promise.resolve(`${root}/v1.0`);
    zone ??= http
      .send(
        { method: "GET", url: `${root}/v1.0/zoneInformation?${new URLSearchParams({ user: settings.userName })}`, what: "zone lookup" },
        z.object({ url: z.string() }).loose(),
      )
      .then(({ url }) => {
        if (!/^https:\/\//i.test(url)) throw new PsaError("autotask", "autotask zone lookup: the zone URL is not https", undefined, false);
        return `${url.replace(/\/+$/, "")}/v1.0`;
      })
      .catch((err: unknown) => {
        zone = undefined;
        throw err;
      });
    return zone;
  };
  const toTicket = (t: z.infer<typeof Ticket>): PsaTicket =>
    psaTicket({ id: t.id, companyId: t.companyID, summary: t.title, statusId: t.status }, settings.closedStatusId);
  const getTicket = async (ticketId: string): Promise<PsaTicket | undefined> => {
    const { item } = await http.send(
      { method: "GET", url: `${await api()}/Tickets/${Number(ticketId)}`, headers, what: "ticket read" },
      z.object({ item: Ticket.nullable() }).loose(),
    );
    return item ? toTicket(item) : undefined;
  };
  const findTicketByKey = async (companyId: string, key: TicketKey): Promise<PsaTicket | undefined> => {
    const base = await api();
    const filter = [
      { op: "eq", field: "companyID", value: Number(companyId) },
      { op: "contains", field: "description", value: markerOf(key) },
    ];
    const found: z.infer<typeof Ticket>[] = [];
    let request: Parameters<typeof http.send>[0] = {
      method: "POST",
      url: `${base}/Tickets/query`,
      headers,
      body: { filter, maxRecords: 500 },
      what: "ticket search",
    };
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items, pageDetails } = await http.send(request, Page(Ticket));
      found.push(...items.filter((t) => hasMarker(t.description ?? "", key)));
      const next = pageDetails?.nextPageUrl;
      // The next page is followed only on the zone's own host: the credentials go with it.
      if (!next || new URL(next).origin !== new URL(base).origin) break;
      request = { method: "GET", url: next, headers, what: "ticket search" };
    }
    const newest = found.sort((a, b) => b.id - a.id)[0];
    return newest ? toTicket(newest) : undefined;
  };
  return {
    vendor: "autotask",
    async findCompany(name) {
      const body = { filter: [{ op: "eq", field: "companyName", value: name }], maxRecords: 2 };
      const { items } = await http.send(
        { method: "POST", url: `${await api()}/Companies/query`, headers, body, what: "company lookup" },
        Page(z.object({ id: z.number().int(), companyName: z.string() }).loose()),
      );
      return items[0] ? { id: String(items[0].id), name: items[0].companyName } : undefined;
    },
    findTicketByKey,
    createTicket(ticket: NewTicket) {
      const body = {
        companyID: Number(ticket.companyId),
        title: ticket.summary.slice(0, 255),
        description: `${ticket.description}\n\n${markerOf(ticket.key)}`,
        status: settings.openStatusId,
        priority: priorityFor(settings.priorities, ticket.severity),
        queueID: settings.queueId,
        dueDateTime: new Date((deps.now ?? (() => new Date()))().getTime() + DUE_HOURS[ticket.severity] * HOUR_MS).toISOString(),
      };
      return http.createOnce(
        async () => {
          const { itemId } = await http.send(
            { method: "POST", url: `${await api()}/Tickets`, headers, body, what: "ticket create", retry: "throttle" },
            Created,
          );
          const created = await getTicket(String(itemId));
          if (!created) throw new PsaError("autotask", `autotask ticket create: ticket ${itemId} cannot be read back`, 500, true);
          return created;
        },
        () => findTicketByKey(ticket.companyId, ticket.key),
      );
    },
    async addNote(ticketId, text) {
      // publish 2 "Internal Project Team" (1 "All Autotask Users" would show the client); noteType 1 "Task Summary".
      const body = { title: "Drift Monitor", description: text.slice(0, 32_000), noteType: 1, publish: 2 };
      await http.send({ method: "POST", url: `${await api()}/Tickets/${Number(ticketId)}/Notes`, headers, body, what: "note add", retry: "throttle" }, Created);
    },
    async setStatus(ticketId, status: TicketStatus) {
      const body = { id: Number(ticketId), status: status === "closed" ? settings.closedStatusId : settings.openStatusId };
      await http.send({ method: "PATCH", url: `${await api()}/Tickets`, headers, body, what: "status change" }, Created);
      const after = await getTicket(ticketId);
      if (!after) throw new PsaError("autotask", `autotask status change: ticket ${ticketId} is gone`, 404, false);
      return after;
    },
    getTicket,
  };
}
