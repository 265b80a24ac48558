/**
 * The `lease` row of a tenant's partition: LeaseId, LeasedUntil, AcquiredAt, Reason, and
 * StartedAt once a check claimed it. Read leniently: a missing column reads as "", and a lease
 * whose end does not parse counts as expired, so a damaged row can never block a tenant for good.
 */
import { z } from "zod";
import { beyondHorizon } from "../../../retry/horizon.js";
import { LEASE_ROW } from "../keys.js";
import type { Row } from "../table.js";

export interface Lease {
  readonly leaseId: string;
  readonly leasedUntil: string;
  readonly acquiredAt: string;
  readonly reason: string;
}

/** Every column falls back to "" rather than failing: see the file comment. */
const leaseColumns = z.object({
  LeaseId: z.string().catch(""),
  LeasedUntil: z.string().catch(""),
  AcquiredAt: z.string().catch(""),
  Reason: z.string().catch(""),
});

export function decodeLease(row: Row): Lease {
  const c = leaseColumns.parse(row);
  return { leaseId: c.LeaseId, leasedUntil: c.LeasedUntil, acquiredAt: c.AcquiredAt, reason: c.Reason };
}

export function encodeLeaseRow(tenantId: string, lease: Lease, startedAt?: Date) {
  return {
    partitionKey: tenantId,
    rowKey: LEASE_ROW,
    LeaseId: lease.leaseId,
    LeasedUntil: lease.leasedUntil,
    AcquiredAt: lease.acquiredAt,
    Reason: lease.reason,
    ...(startedAt ? { StartedAt: startedAt.toISOString() } : {}),
  };
}

/**
 * A lease is live while its end is in the future, and no further ahead than the longest lease this
 * app writes (`longestMs`) plus the wait horizon for hosts' clocks: an end beyond that was written
 * by a clock far ahead or by hand, and obeyed it would keep the tenant from being checked for as
 * long as it says. Such a lease, like one whose end does not parse, counts as expired, so the next
 * acquire or claim takes it over and rewrites it.
 */
export function isLive(lease: Lease, now: Date, longestMs: number): boolean {
  const until = Date.parse(lease.leasedUntil);
  return Number.isFinite(until) && until > now.getTime() && !beyondHorizon(now.getTime() + longestMs, until);
}
