/**
 * The tenants API:
 *   GET    /api/tenants                every tenant with its status and open findings (?status= filters)
 *   GET    /api/tenants/{id}           one tenant: last report, monitoring state, recent snapshots (?snapshots=N)
 *   PUT    /api/tenants/{id}           register or replace (201 created, 200 replaced)
 *   DELETE /api/tenants/{id}           stop watching it (its history stays in the Monitor table)
 *   POST   /api/tenants/{id}/check     check now: queued (202), or already queued/running (202, queued: false)
 * Bad ids and bodies → 400 with the field paths; unknown tenants → 404.
 */
import { z } from "zod";
import type { TenantState } from "../model/state.js";
import { tenantIdSchema, type RegisteredTenant, type RegisteredTenantInput } from "../model/tenant.js";
import type { SnapshotSummary } from "../store/monitor.js";
import { badRequest, issuesOf, json, methodNotAllowed, notFound, type ApiRequest, type ApiResponse } from "./http.js";
import { matchRoute, ROUTE_METHODS } from "./routes.js";
import { parseTenantBody } from "./tenant-body.js";
import { API_STATUSES, tenantDetail, tenantSummary } from "./views.js";

export type CheckNowResult = { readonly queued: true; readonly leasedUntil: string } | { readonly queued: false; readonly inFlightUntil: string };

/** What the routes need; lib/app builds it from the app (apiDeps). */
export interface ApiDeps {
  readonly tenants: {
    get(tenantId: string): Promise<RegisteredTenant | undefined>;
    list(): Promise<RegisteredTenant[]>;
    put(input: RegisteredTenantInput): Promise<RegisteredTenant>;
    delete(tenantId: string): Promise<boolean>;
  };
  readonly monitor: {
    readState(tenantId: string): Promise<{ state: TenantState } | undefined>;
    listStates(): Promise<TenantState[]>;
    listSnapshots(tenantId: string, options: { limit?: number }): Promise<SnapshotSummary[]>;
  };
  /** The live check lease's end, if a check is queued or running. */
  checkInFlightUntil(tenantId: string): Promise<string | null>;
  /** Queues a check of the tenant unless one is in flight. */
  checkNow(tenantId: string): Promise<CheckNowResult>;
  /** Forgets monitoring bookkeeping of a deleted tenant (its lease). */
  forget(tenantId: string): Promise<void>;
  profileExists(name: string): boolean;
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
  if (!status.success) return badRequest("invalid query", issuesOf(status.error).map((i) => ({ ...i, path: "status" })));
  const [tenants, states] = await Promise.all([deps.tenants.list(), deps.monitor.listStates()]);
  const stateOf = new Map(states.map((s) => [s.tenantId, s]));
  const views = tenants
    .map((t) => tenantSummary(t, stateOf.get(t.tenantId)))
    .filter((v) => status.data === undefined || v.status === status.data)
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId));
  return json(200, { count: views.length, tenants: views });
}

async function getTenant(req: ApiRequest, deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  const limit = snapshotsQuery.safeParse(req.query.get("snapshots") ?? undefined);
  if (!limit.success) return badRequest("invalid query", issuesOf(limit.error).map((i) => ({ ...i, path: "snapshots" })));
  const tenant = await deps.tenants.get(tenantId);
  if (!tenant) return notFound(`tenant ${tenantId} is not registered`);
  const [stored, snapshots, inFlight] = await Promise.all([
    deps.monitor.readState(tenantId),
    limit.data === 0 ? Promise.resolve([]) : deps.monitor.listSnapshots(tenantId, { limit: limit.data }),
    deps.checkInFlightUntil(tenantId),
  ]);
  return json(200, tenantDetail(tenant, stored?.state, snapshots, inFlight));
}

async function putTenant(req: ApiRequest, deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  const existing = await deps.tenants.get(tenantId);
  const parsed = parseTenantBody(tenantId, req.body, existing, deps.profileExists);
  if (!parsed.ok) return badRequest(parsed.error, parsed.issues);
  const stored = await deps.tenants.put(parsed.tenant);
  return json(existing ? 200 : 201, { tenant: stored }, existing ? {} : { location: `/api/tenants/${stored.tenantId}` });
}

async function deleteTenant(deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  if (!(await deps.tenants.delete(tenantId))) return notFound(`tenant ${tenantId} is not registered`);
  await deps.forget(tenantId);
  return json(200, { deleted: true, tenantId });
}

async function checkNow(deps: ApiDeps, tenantId: string): Promise<ApiResponse> {
  if (!(await deps.tenants.get(tenantId))) return notFound(`tenant ${tenantId} is not registered`);
  const r = await deps.checkNow(tenantId);
  return json(
    202,
    r.queued
      ? { queued: true, tenantId, leasedUntil: r.leasedUntil }
      : { queued: false, tenantId, reason: "a check of this tenant is already queued or running", inFlightUntil: r.inFlightUntil },
  );
}

export async function handleApiRequest(req: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const route = matchRoute(req.path);
  if (!route) return notFound("no such route: use /api/tenants, /api/tenants/{tenantId} or /api/tenants/{tenantId}/check");
  const method = req.method.toUpperCase();
  const allowed = ROUTE_METHODS[route.name];
  if (!allowed.includes(method)) return methodNotAllowed(allowed);
  if (route.name === "tenants") return listTenants(req, deps);

  const id = tenantIdSchema.safeParse(route.id);
  if (!id.success) return badRequest("invalid tenant id", issuesOf(id.error).map((i) => ({ ...i, path: "tenantId" })));
  const tenantId = id.data;
  if (route.name === "check") return checkNow(deps, tenantId);
  if (method === "GET") return getTenant(req, deps, tenantId);
  if (method === "PUT") return putTenant(req, deps, tenantId);
  return deleteTenant(deps, tenantId);
}
