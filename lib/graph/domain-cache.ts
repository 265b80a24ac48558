/**
 * The tenants' domain lists, kept for a day in the memory of the process that read them. Domains
 * and their password lifetime change rarely (an admin edits them in the portal), and the password
 * expiry check counts in days, so a day-old list loses nothing; reading it once a day per tenant
 * per process instead of every run saves a sub-request of every v1.0 batch. A process that
 * restarts reads it again on its next run. Only a list that was read is kept: a failure is retried
 * next run. Time comes from the caller (the run's `now`).
 */
import type { DomainPasswordFact } from "../model/facts.js";

const DAY_MS = 24 * 3_600_000;
/** Bounds memory in a process that checks a very large estate: the oldest entry goes first. */
const MAX_TENANTS = 10_000;

/** A value per tenant kept for a day (or `ttlMs`) in the process's memory: the domain lists, the app's grants. */
export class DayCache<T> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: T }>();

  constructor(private readonly ttlMs: number = DAY_MS) {}

  /** The list read for the tenant less than a day before `now`, if any. */
  get(tenantId: string, now: Date): T | undefined {
    const hit = this.entries.get(tenantId);
    if (!hit) return undefined;
    const age = now.getTime() - hit.at;
    if (age < 0 || age >= this.ttlMs) {
      this.entries.delete(tenantId);
      return undefined;
    }
    return hit.value;
  }

  put(tenantId: string, value: T, now: Date): void {
    this.entries.delete(tenantId);
    this.entries.set(tenantId, { at: now.getTime(), value });
    if (this.entries.size > MAX_TENANTS) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}

export class DomainCache extends DayCache<readonly DomainPasswordFact[]> {}
