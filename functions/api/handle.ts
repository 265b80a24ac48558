/**
 * The tenants API:
 *   GET    /api/tenants                every tenant with its status and open findings (?status= filters)
 *   GET    /api/tenants/{id}           one tenant, each account: last report, monitoring state, recent snapshots (?snapshots=N)
 *   PUT    /api/tenants/{id}           register or replace (201 created, 200 replaced)
 *   DELETE /api/tenants/{id}           stop watching it (its history stays in the Monitor table)
 *   POST   /api/tenants/{id}/check     check now: queued (202), or already queued/running (202, queued: false)
 *   …/acks, …/acks/withdraw, …/exceptions, …/audit: operators' decisions and their audit trail (standings.ts)
 * Bad ids and bodies → 400 with the field paths; a body over 64 KiB → 413 (refused before it is read
 * whole, see body.ts); unknown tenants → 404.
 *
 * Stored rows that do not parse never fail an answer for everyone: the list leaves them out of
 * `tenants` and names them in `unreadable` (a tenant whose state is unreadable is listed with
 * status `unreadable`); one tenant whose registration is unreadable answers 409 with what to do.
 * Each tenant carries its dead-lettered alerts (delivery given up on); the list carries `delivery`:
 * the global summary's state, the email quota and when each waiting alert is expected to go.
 */
import { z } from "zod";
import { monitorPartition } from "../../lib/model/account.js";
import { tenantIdSchema, tenantRecord, type RegisteredTenant, type RegisteredTenantInput } from "../../lib/model/tenant.js";
import { UnreadableTenantError, type SnapshotSummary } from "../../lib/store/index.js";
import { NewerSchemaError } from "../../lib/model/versioned.js";
import { readEstate, readTenant, type StatusSources, type UnreadableRowView } from "../../lib/status/read-model.js";
import { API_STATUSES, tenantDetailView, tenantListView } from "../../lib/status/views.js";
import { badRequest, issuesOf, json, methodNotAllowed, notFound, type ApiRequest, type ApiResponse } from "./http.js";
import { matchRoute, ROUTE_METHODS } from "./routes.js";
import { parseTenantBody } from "./tenant-body.js";
import { handleStandings, type StandingsApi, type StandingsRoute } from "./standings.js";
import { redact } from "../../lib/errors/redact.js";
import type { DeliveryQueue } from "../../lib/alerts/queue-view.js";

export type CheckNowResult = { readonly queued: true; readonly leasedUntil: string } | { readonly queued: false; readonly inFlightUntil: string };

/** What the routes need; functions/app builds it from the app (apiDeps). The reads are the status read model's. */
export interface ApiDeps extends StatusSources {
  readonly tenants: StatusSources["tenants"] & {
    put(input: RegisteredTenantInput): Promise<RegisteredTenant>;
    delete(tenantId: string): Promise<boolean>;
  };
  readonly monitor: StatusSources["monitor"] & {
    /** One account's snapshots, from its Monitor partition. */
    listSnapshots(partition: string, options: { limit?: number }): Promise<SnapshotSummary[]>;
  };
  /** The live check lease's end, if a check is queued or running. */
  checkInFlightUntil(tenantId: string): Promise<string | null>;
  /** Queues a check of the tenant unless one is in flight. */
  checkNow(tenantId: string): Promise<CheckNowResult>;
  /** Forgets monitoring bookkeeping of a deleted tenant (its lease). */
  forget(tenantId: string): Promise<void>;
  profileExists(name: string): boolean;
  /** What waits for delivery and when it is expected to go (the list's `delivery`); absent: not reported. */
  readonly deliveryQueue?: () => Promise<DeliveryQueue>;
  /** Acknowledgements, exceptions and the audit trail (standings.ts); absent: those routes answer 404. */
  readonly standings?: StandingsApi;
}

/** Waiting alerts listed in the answer; the rest are counted (`waiting`). */
const MAX_WAITING_LISTED = 100;

async function deliveryOf(deps: ApiDeps): Promise<Record<string, unknown>> {
  if (!deps.deliveryQueue) return {};
  try {
    const q = await deps.deliveryQueue();
    return { delivery: { ...q, waiting: q.alerts.length, alerts: q.alerts.slice(0, MAX_WAITING_LISTED) } };
  } catch (error) {
    // The tenants are the answer; the delivery queue is extra and never fails it.
    return { delivery: { error: redact(error instanceof Error ? error.message : String(error)) } };
  }
}

const DEFAULT_SNAPSHOTS = 10;
const MAX_SNAPSHOTS = 100;

const statusQuery = z.enum(API_STATUSES, { error: `status must be one of ${API_STATUSES.join(", ")}` }).optional();
const snapshotsQuery = z.coerce
  .number({ error: `snapshots must be a whole number from 0 to ${MAX_SNAPSHOTS}` })
  .int({ error: `snapshots must be a whole number from 0 to ${MAX_SNAPSHOTS}` })
  .min(0, { error: `snapshots must be a whole number from 0 to ${MAX_SNAPSHOTS}` })
  .max(MAX_SNAPSHOTS, { error: `snapshots must be a whole number from 0 to ${MAX_SNAPSHOTS}` })
  .default(DEFAULT_SNAPSHOTS);

async function listTenants(req: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const status = statusQuery.safeParse(req.query.get("status") ?? undefined);
  if (!status.success)
    return badRequest(
      "invalid query",
      issuesOf(status.error).map((i) => ({ ...i, path: "status" })),
    );
  return json(200, { ...tenantListView(await readEstate(deps), status.data), ...(await deliveryOf(deps)) });
}

/** 409 for a tenant whose registration does not parse: it can be registered again (PUT) or removed (DELETE). */
function unreadableTenant(error: UnreadableTenantError): ApiResponse {
  return json(409, {
    error:
      `the stored registration of tenant ${error.tenantId} is unreadable: ` +
      `register it again with PUT /api/tenants/${error.tenantId}, or remove it with DELETE`,
    unreadable: { table: "Tenants", tenantId: error.tenantId, rowKey: error.tenantId, error: redact(error.message) } satisfies UnreadableRowView,
  });
}

/**
 * The tenant, undefined when not registered, or the 409 answer when its row is unreadable
 * (`response`, a PUT may replace it) or written by a newer version (`refused`: nothing may overwrite it).
 */
type Found = { tenant: RegisteredTenant | undefined } | { response: ApiResponse; error: UnreadableTenantError } | { refused: ApiResponse };

async function findTenant(deps: ApiDeps, tenantId: string): Promise<Found> {
  try {
    return { tenant: await deps.tenants.get(tenantId) };
  } catch (error) {
    if (error instanceof UnreadableTenantError) return { response: unreadableTenant(error), error };
    if (error instanceof NewerSchemaError) return { refused: json(409, { error: error.message }) };
    throw error;
  }
}

async function getTenant(req: ApiRequest, deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  const limit = snapshotsQuery.safeParse(req.query.get("snapshots") ?? undefined);
  if (!limit.success)
    return badRequest(
      "invalid query",
      issuesOf(limit.error).map((i) => ({ ...i, path: "snapshots" })),
    );
  const found = await findTenant(deps, tenantId);
  if ("refused" in found) return found.refused;
  if ("response" in found) return found.response;
  const { tenant } = found;
  if (!tenant) return notFound(`tenant ${tenantId} is not registered`);
  const snapshotsOf = async (key: string): Promise<readonly [string, SnapshotSummary[]]> => [
    key,
    limit.data === 0 ? [] : await deps.monitor.listSnapshots(monitorPartition(tenantId, key), { limit: limit.data }),
  ];
  const [read, snapshots, inFlight] = await Promise.all([
    readTenant(deps, tenantId, tenant),
    Promise.all(tenant.accounts.map((a) => snapshotsOf(a.key))),
    deps.checkInFlightUntil(tenantId),
  ]);
  return json(200, tenantDetailView(tenant, read, new Map(snapshots), inFlight));
}

async function putTenant(req: ApiRequest, deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  const found = await findTenant(deps, tenantId);
  if ("refused" in found) return found.refused;
  // An unreadable registration is replaced by the body as a whole (nothing of it can be kept).
  const existing = "tenant" in found ? found.tenant : undefined;
  const replacing = existing !== undefined || "response" in found;
  const parsed = parseTenantBody(tenantId, req.body, deps.profileExists);
  if (!parsed.ok) return badRequest(parsed.error, parsed.issues);
  const stored = await deps.tenants.put(parsed.tenant);
  return json(replacing ? 200 : 201, { tenant: tenantRecord(stored) }, replacing ? {} : { location: `/api/tenants/${stored.tenantId}` });
}

async function deleteTenant(deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  if (!(await deps.tenants.delete(tenantId))) return notFound(`tenant ${tenantId} is not registered`);
  await deps.forget(tenantId);
  return json(200, { deleted: true, tenantId });
}

async function checkNow(deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  const found = await findTenant(deps, tenantId);
  if ("refused" in found) return found.refused;
  if ("response" in found) return found.response;
  if (!found.tenant) return notFound(`tenant ${tenantId} is not registered`);
  const r = await deps.checkNow(tenantId);
  return json(
    202,
    r.queued
      ? { queued: true, tenantId, leasedUntil: r.leasedUntil }
      : { queued: false, tenantId, reason: "a check of this tenant is already queued or running", inFlightUntil: r.inFlightUntil },
  );
}

async function standings(route: StandingsRoute, method: string, req: ApiRequest, deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  if (!deps.standings) return notFound("acknowledgements and exceptions are not available here");
  const found = await findTenant(deps, tenantId);
  if ("refused" in found) return found.refused;
  if ("response" in found) return found.response;
  if (!found.tenant) return notFound(`tenant ${tenantId} is not registered`);
  return handleStandings(route, method, req, deps.standings, found.tenant);
}

export async function handleApiRequest(req: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const route = matchRoute(req.path);
  if (!route) return notFound("no such route: use /api/tenants, /api/tenants/{tenantId} or /api/tenants/{tenantId}/check");
  const method = req.method.toUpperCase();
  const allowed = ROUTE_METHODS[route.name];
  if (!allowed.includes(method)) return methodNotAllowed(allowed);
  if (route.name === "tenants") return listTenants(req, deps);

  const id = tenantIdSchema.safeParse(route.id);
  if (!id.success)
    return badRequest(
      "invalid tenant id",
      issuesOf(id.error).map((i) => ({ ...i, path: "tenantId" })),
    );
  const tenantId = id.data;
  if (route.name === "check") return checkNow(deps, tenantId);
  if (route.name !== "tenant") return standings(route.name, method, req, deps, tenantId);
  if (method === "GET") return getTenant(req, deps, tenantId);
  if (method === "PUT") return putTenant(req, deps, tenantId);
  return deleteTenant(deps, tenantId);
}
