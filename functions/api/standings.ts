/**
 * Operators' decisions through the tenants API:
 *   POST /api/tenants/{id}/acks         acknowledge an open finding: { accountKey?, checkId, subject?, reason, by, for? } → 201
 *   POST /api/tenants/{id}/acks/withdraw withdraw one: { accountKey?, checkId, subject?, by } → 200
 *   GET  /api/tenants/{id}/exceptions   the tenant's exceptions and the estate-wide ones (removed ones included);
 *                                       one for a single account has its `accountKey` and `accountRef` (the UPN)
 *   POST /api/tenants/{id}/exceptions   approve one: { accountKey?, policy | checkId, controls?, reason, owner, reference, expiresAt, by } → 201
 *                                       (accountKey: for that account alone, its id `…@{key}`; absent: every account)
 *   POST /api/tenants/{id}/exceptions/remove remove one of the tenant's: { id, by } → 200 (the id as listed)
 *   GET  /api/tenants/{id}/audit        the audit trail of the tenant and the estate, newest first
 * and the estate-wide templates every tenant inherits (handleEstateStandings, /api/estate):
 *   GET  /api/estate/exceptions          the estate-wide exceptions (removed ones included)
 *   POST /api/estate/exceptions          approve one: { policy + controls | checkId, reason, owner, reference, expiresAt, by } → 201 (no accountKey: 400)
 *   POST /api/estate/exceptions/remove   remove one: { id, by } → 200
 *   GET  /api/estate/audit               the estate-wide audit trail, newest first
 * The API sits behind function keys, which name no person, so the caller says who decides (`by`);
 * the dashboard's signed-in person is its own. Bodies are validated with the CLI's schemas; a lost
 * race (someone changed it meanwhile) is a 409 that says to read it again.
 */
import { z } from "zod";
import { ackInputSchema, ESTATE_SCOPE, exceptionInputSchema, type ApprovedException } from "../../lib/model/standing.js";
import type { RegisteredTenant } from "../../lib/model/tenant.js";
import { accountNameOf } from "../../lib/standings/account-of.js";
import { accountKeySchema } from "../../lib/model/account.js";
import type { Decided } from "../../lib/standings/decide.js";
import { acknowledge, approveException, auditTrail, removeException, withdrawAck, type OperateDeps } from "../../lib/standings/operate.js";
import type { StandingsRepository } from "../../lib/store/index.js";
import { errorMessage } from "../../lib/errors/text.js";
import { badRequest, issuesOf, json, type ApiRequest, type ApiResponse } from "./http.js";

export interface StandingsApi {
  readonly operate: OperateDeps;
  readonly exceptions: Pick<StandingsRepository, "listExceptions">;
  readonly now: () => Date;
}

export type StandingsRoute = "acks" | "acks-withdraw" | "exceptions" | "exceptions-remove" | "audit";

const removeSchema = z.object({ id: z.string().trim().min(1).max(300), by: z.string().trim().min(1).max(200) });
const withdrawSchema = z.object({
  /** The account whose finding it is (its key, as GET /api/tenants/{id} lists it); absent: the tenant's first. */
  accountKey: accountKeySchema.optional(),
  checkId: z.string().trim().min(1).max(100),
  subject: z.string().trim().max(100).default(""),
  by: z.string().trim().min(1).max(200),
});

const answer = <T>(status: 200 | 201, decided: Decided<T>, key: string): ApiResponse =>
  decided.ok ? json(status, { [key]: decided.value }) : json(decided.status, { error: decided.error });

function bodyOf<S extends z.ZodType>(req: ApiRequest, schema: S): { ok: true; value: z.output<S> } | { ok: false; response: ApiResponse } {
  if (req.body === undefined || req.body.trim() === "") return { ok: false, response: badRequest("a JSON body is required") };
  let raw: unknown;
  try {
    raw = JSON.parse(req.body) as unknown;
  } catch (error) {
    return { ok: false, response: badRequest(`the body is not JSON: ${errorMessage(error)}`) };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: badRequest("invalid body", issuesOf(parsed.error)) };
}

/** An exception as answered: one for a single account names it (`accountRef`, its UPN) beside its key. */
const named = (tenant: RegisteredTenant | undefined) => (e: ApprovedException) =>
  e.accountKey === undefined ? e : { ...e, accountRef: accountNameOf(tenant, e.accountKey) };

/** Why `key` names none of the tenant's accounts (an exception for it would cover nothing), listing their keys. */
function unknownAccount(tenant: RegisteredTenant, key: string): string | undefined {
  if (tenant.accounts.some((a) => a.key === key)) return undefined;
  const keys = tenant.accounts.map((a) => `"${a.key}" (${a.ref})`).join(", ");
  return `tenant ${tenant.tenantId} has no monitored account with key "${key}": its accounts are ${keys}`;
}

/** Approves or removes an exception of the tenant's, or of the estate's (`tenant` undefined). */
async function changeException(
  route: "exceptions" | "exceptions-remove",
  req: ApiRequest,
  api: StandingsApi,
  tenant: RegisteredTenant | undefined,
): Promise<ApiResponse> {
  const scope = tenant?.tenantId ?? ESTATE_SCOPE;
  if (route === "exceptions") {
    const body = bodyOf(req, exceptionInputSchema);
    if (!body.ok) return body.response;
    const { accountKey } = body.value;
    const unknown = tenant && accountKey !== undefined ? unknownAccount(tenant, accountKey) : undefined;
    if (unknown) return json(404, { error: unknown });
    const decided = await approveException(api.operate, scope, body.value, api.now());
    return decided.ok ? json(201, { exception: named(tenant)(decided.value) }) : json(decided.status, { error: decided.error });
  }
  const body = bodyOf(req, removeSchema);
  return body.ok ? answer(200, await removeException(api.operate, scope, body.value.id, body.value.by, api.now()), "exception") : body.response;
}

export type EstateRoute = "exceptions" | "exceptions-remove" | "audit";

export const ESTATE_ROUTE_METHODS: Readonly<Record<EstateRoute, readonly string[]>> = {
  exceptions: ["GET", "POST"],
  "exceptions-remove": ["POST"],
  audit: ["GET"],
};

/** The estate-wide templates: the same rules and answers as a tenant's exceptions, for every tenant at once. */
export async function handleEstateStandings(route: EstateRoute, method: string, req: ApiRequest, api: StandingsApi): Promise<ApiResponse> {
  if (route === "audit") return json(200, { scope: "estate", audit: await auditTrail(api.operate, undefined) });
  if (route === "exceptions" && method === "GET") return json(200, { scope: "estate", exceptions: await api.exceptions.listExceptions(ESTATE_SCOPE) });
  return changeException(route, req, api, undefined);
}

export async function handleStandings(
  route: StandingsRoute,
  method: string,
  req: ApiRequest,
  api: StandingsApi,
  tenant: RegisteredTenant,
): Promise<ApiResponse> {
  const { tenantId } = tenant;
  if (route === "audit") return json(200, { tenantId, audit: await auditTrail(api.operate, tenantId) });
  if (route === "exceptions" && method === "GET") {
    const [own, estate] = await Promise.all([api.exceptions.listExceptions(tenantId), api.exceptions.listExceptions(ESTATE_SCOPE)]);
    return json(200, { tenantId, exceptions: [...own, ...estate].map(named(tenant)) });
  }
  if (route === "exceptions" || route === "exceptions-remove") return changeException(route, req, api, tenant);
  if (route === "acks-withdraw") {
    const body = bodyOf(req, withdrawSchema);
    if (!body.ok) return body.response;
    const { checkId, subject, by, accountKey } = body.value;
    return answer(200, await withdrawAck(api.operate, tenantId, `${checkId}|${subject}`, by, api.now(), accountKey ?? ""), "acknowledgement");
  }
  const body = bodyOf(req, ackInputSchema);
  return body.ok ? answer(201, await acknowledge(api.operate, tenantId, body.value, api.now()), "acknowledgement") : body.response;
}
