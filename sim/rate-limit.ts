/**
 * Opt-in emulation of Graph's per-tenant budgets (off by default so tests stay deterministic):
 * Conditional Access policies at N requests per second per tenant, answered 429 *without*
 * Retry-After as Graph does; reports and sign-ins at N requests per 10 s per tenant, answered
 * 429 with Retry-After. Only admitted requests use up the budget.
 */
import type { EndpointName } from "./types.js";

export interface RateLimits {
  /** Graph: 1 per second per tenant across all apps. */
  caPoliciesPerSecond?: number;
  /** Graph: 5 per 10 seconds per tenant. */
  reportsPer10Seconds?: number;
}

interface Bucket {
  limit: number;
  windowMs: number;
  sendRetryAfter: boolean;
}

export type RateDecision = { admitted: true } | { admitted: false; retryAfterSeconds: number | undefined };

export class RateLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(public limits: RateLimits = {}) {}

  private bucketFor(endpoint: EndpointName): { key: string; bucket: Bucket } | undefined {
    if (endpoint === "caPolicies" && this.limits.caPoliciesPerSecond) {
      return { key: "ca", bucket: { limit: this.limits.caPoliciesPerSecond, windowMs: 1000, sendRetryAfter: false } };
    }
    if ((endpoint === "registrationDetails" || endpoint === "signIns") && this.limits.reportsPer10Seconds) {
      return { key: "reports", bucket: { limit: this.limits.reportsPer10Seconds, windowMs: 10_000, sendRetryAfter: true } };
    }
    return undefined;
  }

  /** Uses real time, not the sim's clock: budgets are about request pace, not sample data. */
  take(tenantId: string, endpoint: EndpointName, nowMs = Date.now()): RateDecision {
    const found = this.bucketFor(endpoint);
    if (!found) return { admitted: true };
    const { key, bucket } = found;
    const id = `${tenantId}|${key}`;
    const recent = (this.seen.get(id) ?? []).filter((t) => t > nowMs - bucket.windowMs);
    if (recent.length >= bucket.limit) {
      this.seen.set(id, recent);
      const waitMs = recent[0]! + bucket.windowMs - nowMs;
      return { admitted: false, retryAfterSeconds: bucket.sendRetryAfter ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined };
    }
    recent.push(nowMs);
    this.seen.set(id, recent);
    return { admitted: true };
  }

  reset(): void {
    this.seen.clear();
  }
}
