/**
 * The `lease` row of a tenant's partition: LeaseId, LeasedUntil, AcquiredAt, Reason, and
 * StartedAt once a check claimed it. Read leniently: a missing column reads as "", and a lease
 * whose end does not parse counts as expired, so a damaged row can never block a tenant for good.
 */
import { z } from "zod";
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

/** A lease is live while its end is in the future; an unreadable end counts as expired. */
export function isLive(lease: Lease, now: Date): boolean {
  const until = Date.parse(lease.leasedUntil);
  return Number.isFinite(until) && until > now.getTime();
}
