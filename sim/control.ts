/**
 * A small control API under /_sim/ for out-of-process users (the demo, benchmarks, a person with
 * curl): counters, faults, clock, reset, tokens, tenant patches. Loopback only, no auth, never
 * counted as Graph traffic.
 *
 *   GET    /_sim/counters            counters          POST /_sim/counters/reset
 *   GET    /_sim/faults              armed faults      POST /_sim/faults {FaultSpec}   DELETE /_sim/faults
 *   POST   /_sim/reset               counters, faults, clock and tenant data back to the start
 *   GET    /_sim/tenants             tenant ids, names, accounts
 *   GET    /_sim/tenants/{id}        the tenant's data  PATCH (JSON merge patch) changes it
 *   GET    /_sim/token?tenant={id}   {"access_token": …}
 *   PUT    /_sim/clock {"now": iso|null}
 *   PUT    /_sim/latency {"ms": n}
 *   PUT    /_sim/consistency {"ms": n}   reads show a write n ms after it (0 = at once)
 *   PUT    /_sim/rate-limits {"caPoliciesPerSecond"?: n, "reportsPer10Seconds"?: n}  ({} = off)
 */
import type { JsonObject, JsonValue, SimResponse, TenantData } from "./types.js";
import type { SimState } from "./state.js";
import { mintToken } from "./tokens.js";
import type { RateLimits } from "./rate-limit.js";

function reply(status: number, body: JsonValue | undefined): SimResponse {
  return { status, headers: { "Content-Type": "application/json; charset=utf-8" }, body };
}

const problem = (status: number, message: string): SimResponse => reply(status, { error: { code: "SimulatorControl", message } });

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** RFC 7386: objects merge, null deletes, anything else replaces. */
function mergePatch(target: JsonValue | undefined, patch: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function serveControl(state: SimState, method: string, url: URL, body: JsonValue | undefined): SimResponse {
  const path = url.pathname.replace(/\/+$/, "");
  try {
    if (path === "/_sim/counters" && method === "GET") return reply(200, { ...state.counters });
    if (path === "/_sim/counters/reset" && method === "POST") {
      state.resetCounters();
      return reply(204, undefined);
    }
    if (path === "/_sim/faults") {
      if (method === "GET") return reply(200, { value: state.listFaults() as unknown as JsonValue[] });
      if (method === "DELETE") {
        state.clearFaults();
        return reply(204, undefined);
      }
      if (method === "POST") {
        const specs = Array.isArray(body) ? body : [body];
        for (const spec of specs) {
          if (!isObject(spec)) return problem(400, "Expected a fault: {tenantId?, endpoint, kind, times?, retryAfterSeconds?}");
          state.addFault(spec as unknown as Parameters<SimState["addFault"]>[0]);
        }
        return reply(201, { value: state.listFaults() as unknown as JsonValue[] });
      }
    }
    if (path === "/_sim/reset" && method === "POST") {
      state.reset();
      return reply(204, undefined);
    }
    if (path === "/_sim/clock" && method === "PUT") {
      const now = isObject(body) ? body.now : undefined;
      if (now === null) state.setClock(null);
      else if (typeof now === "string" && !Number.isNaN(Date.parse(now))) state.setClock(new Date(now));
      else return problem(400, 'Expected {"now": "<ISO time>"} or {"now": null}');
      return reply(200, { now: state.now().toISOString() });
    }
    if ((path === "/_sim/latency" || path === "/_sim/consistency") && method === "PUT") {
      const ms = isObject(body) ? body.ms : undefined;
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0) return problem(400, 'Expected {"ms": <non-negative integer>}');
      if (path === "/_sim/latency") state.latencyMs = ms;
      else state.writeVisibilityMs = ms;
      return reply(200, { ms });
    }
    if (path === "/_sim/rate-limits" && method === "PUT") {
      if (!isObject(body)) return problem(400, 'Expected {"caPoliciesPerSecond"?: n, "reportsPer10Seconds"?: n}');
      const limits: RateLimits = {};
      for (const key of ["caPoliciesPerSecond", "reportsPer10Seconds"] as const) {
        const v = body[key];
        if (v === undefined || v === null) continue;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 1) return problem(400, `${key} must be a positive integer`);
        limits[key] = v;
      }
      state.rateLimiter.limits = limits;
      state.rateLimiter.reset();
      return reply(200, { ...limits });
    }
    if (path === "/_sim/tenants" && method === "GET") {
      return reply(200, {
        value: state.tenants().map((t) => ({ tenantId: t.tenantId, displayName: t.displayName, consent: t.consent, licenses: t.licenses })),
      });
    }
    const tenantMatch = /^\/_sim\/tenants\/([^/]+)$/.exec(path);
    if (tenantMatch) {
      const tenant = state.findTenant(decodeURIComponent(tenantMatch[1]!));
      if (!tenant) return problem(404, `No tenant ${tenantMatch[1]}`);
      if (method === "GET") return reply(200, tenant as unknown as JsonObject);
      if (method === "PATCH") {
        const patched = mergePatch(tenant as unknown as JsonObject, body) as unknown as TenantData;
        patched.tenantId = tenant.tenantId;
        state.putTenant(patched);
        return reply(200, patched as unknown as JsonObject);
      }
    }
    if (path === "/_sim/token" && method === "GET") {
      const tenantId = url.searchParams.get("tenant");
      if (!tenantId || !state.findTenant(tenantId)) return problem(404, "Pass ?tenant=<a tenant id the simulator knows>");
      return reply(200, { access_token: mintToken(tenantId, { now: state.now() }) });
    }
    return problem(404, `No control endpoint ${method} ${path}`);
  } catch (err) {
    return problem(400, err instanceof Error ? err.message : String(err));
  }
}
