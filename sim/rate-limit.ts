/**
 * Opt-in emulation of Graph's throttling budgets (off by default so tests stay deterministic),
 * after learn.microsoft.com/graph/throttling-limits:
 *
 * - Conditional Access policies: N requests per second per tenant across all apps, answered 429
 *   *without* Retry-After as Graph does;
 * - identity and access reports (sign-ins, the registration report, the audit log): N per 10 s per tenant and,
 *   when set, M per 10 s for the app across all tenants, answered 429 with Retry-After;
 * - identity and access resource units, when `resourceUnits` is on: token buckets per tenant
 *   (sized by its user count) and for the app (ratelimit-costs.ts), 429 with Retry-After.
 *
 * Every request is metered on its own, batch sub-requests included (the batch calls this once per
 * sub-request). Only admitted requests use up a budget. Every 429 is tallied by endpoint and by
 * the budget that refused it (`stats`), faults included (state.ts reports those).
 */
import type { EndpointName } from "./types.js";
import { APP_RU_QUOTA, RU_COST, RuBucket, TENANT_RU_WINDOW_MS, tenantRuQuota } from "./ratelimit-costs.js";

export interface RateLimits {
  /** Graph: 1 per second per tenant across all apps. */
  caPoliciesPerSecond?: number;
  /** Graph: 5 per 10 seconds per tenant. */
  reportsPer10Seconds?: number;
  /** Graph: 122 per 10 seconds for the app across all tenants. */
  reportsPer10SecondsPerApp?: number;
  /** Meter identity and access resource units (per tenant and per app token buckets). */
  resourceUnits?: boolean;
}

/** Every budget as Microsoft documents it (`--graph-throttling`, the benchmark). */
export const GRAPH_DOCUMENTED_LIMITS: Readonly<Required<RateLimits>> = {
  caPoliciesPerSecond: 1,
  reportsPer10Seconds: 5,
  reportsPer10SecondsPerApp: 122,
  resourceUnits: true,
};

/** Which budget refused a request. */
export type ThrottleScope = "ca-tenant" | "reports-tenant" | "reports-app" | "ru-tenant" | "ru-app" | "fault";

export interface ThrottleStats {
  /** 429s sent, by endpoint name. */
  byEndpoint: Record<string, number>;
  /** 429s sent, by the budget (or fault) behind them. */
  byScope: Partial<Record<ThrottleScope, number>>;
  /** Requests the budgets metered and let through, by endpoint name. */
  admittedByEndpoint: Record<string, number>;
}

interface Window {
  limit: number;
  windowMs: number;
  sendRetryAfter: boolean;
  scope: ThrottleScope;
}

type RateDecision = { admitted: true } | { admitted: false; retryAfterSeconds: number | undefined };

function emptyStats(): ThrottleStats {
  return { byEndpoint: {}, byScope: {}, admittedByEndpoint: {} };
}

function bump<K extends string>(map: Partial<Record<K, number>>, key: K): void {
  map[key] = (map[key] ?? 0) + 1;
}

const APP = "*app*";

export class RateLimiter {
  private readonly seen = new Map<string, number[]>();
  private readonly ruBuckets = new Map<string, RuBucket>();
  stats: ThrottleStats = emptyStats();

  constructor(
    public limits: RateLimits = {},
    /** The tenant's user count, which sizes its resource-unit quota. */
    private readonly usersOf: (tenantId: string) => number = () => 0,
  ) {}

  /** The sliding windows a request must fit in: [key, window]. */
  private windowsFor(tenantId: string, endpoint: EndpointName): [string, Window][] {
    const out: [string, Window][] = [];
    // Named locations and What If share the Conditional Access budget (1 request/s per tenant).
    if ((endpoint === "caPolicies" || endpoint === "namedLocations" || endpoint === "whatIf") && this.limits.caPoliciesPerSecond) {
      out.push([`${tenantId}|ca`, { limit: this.limits.caPoliciesPerSecond, windowMs: 1000, sendRetryAfter: false, scope: "ca-tenant" }]);
    }
    if (endpoint === "registrationDetails" || endpoint === "signIns" || endpoint === "directoryAudits") {
      if (this.limits.reportsPer10Seconds) {
        out.push([`${tenantId}|reports`, { limit: this.limits.reportsPer10Seconds, windowMs: 10_000, sendRetryAfter: true, scope: "reports-tenant" }]);
      }
      if (this.limits.reportsPer10SecondsPerApp) {
        out.push([`${APP}|reports`, { limit: this.limits.reportsPer10SecondsPerApp, windowMs: 10_000, sendRetryAfter: true, scope: "reports-app" }]);
      }
    }
    return out;
  }

  private ruBucket(key: string, capacity: number, windowMs: number, now: number): RuBucket {
    let b = this.ruBuckets.get(key);
    if (!b) {
      b = new RuBucket(capacity, windowMs, now);
      this.ruBuckets.set(key, b);
    } else b.resize(capacity);
    return b;
  }

  /** Uses real time, not the sim's clock: budgets are about request pace, not sample data. */
  take(tenantId: string, endpoint: EndpointName, nowMs = Date.now()): RateDecision {
    const tid = tenantId.toLowerCase();
    const windows = this.windowsFor(tid, endpoint);
    const cost = this.limits.resourceUnits ? (RU_COST[endpoint] ?? 0) : 0;
    if (windows.length === 0 && cost === 0) return { admitted: true };

    // Check every budget before taking from any: a refused request uses up none of them.
    const recent = windows.map(([key, w]) => (this.seen.get(key) ?? []).filter((t) => t > nowMs - w.windowMs));
    for (let i = 0; i < windows.length; i += 1) {
      const [key, w] = windows[i]!;
      const times = recent[i]!;
      this.seen.set(key, times);
      if (times.length >= w.limit) {
        const waitMs = times[0]! + w.windowMs - nowMs;
        return this.refuse(endpoint, w.scope, w.sendRetryAfter ? waitMs : undefined);
      }
    }
    const buckets: [RuBucket, ThrottleScope][] = [];
    if (cost > 0) {
      buckets.push([this.ruBucket(tid, tenantRuQuota(this.usersOf(tid)), TENANT_RU_WINDOW_MS, nowMs), "ru-tenant"]);
      buckets.push([this.ruBucket(APP, APP_RU_QUOTA.units, APP_RU_QUOTA.windowMs, nowMs), "ru-app"]);
      for (const [bucket, scope] of buckets) {
        const waitMs = bucket.waitFor(cost, nowMs);
        if (waitMs > 0) return this.refuse(endpoint, scope, waitMs);
      }
    }
    windows.forEach(([key], i) => {
      recent[i]!.push(nowMs);
      this.seen.set(key, recent[i]!);
    });
    for (const [bucket] of buckets) bucket.take(cost);
    bump(this.stats.admittedByEndpoint, endpoint);
    return { admitted: true };
  }

  private refuse(endpoint: EndpointName, scope: ThrottleScope, retryAfterMs: number | undefined): RateDecision {
    bump(this.stats.byEndpoint, endpoint);
    bump(this.stats.byScope, scope);
    return { admitted: false, retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }

  /** A 429 an armed fault sent (state.ts calls this), so the tally holds every 429. */
  noteFault429(endpoint: EndpointName): void {
    bump(this.stats.byEndpoint, endpoint);
    bump(this.stats.byScope, "fault");
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  reset(): void {
    this.seen.clear();
    this.ruBuckets.clear();
  }
}
