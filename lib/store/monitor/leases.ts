/**
 * Check leases: a `lease` row in the tenant's Monitor partition says "a check of this tenant is
 * queued or running until LeasedUntil". The scheduler takes the lease before it queues a check
 * and skips a tenant whose lease is live, so a slow or backed-up check is never queued twice;
 * the check releases the lease when it is done. A check that dies without releasing it (host
 * crash, timeout) blocks the tenant only until the lease expires (CHECK_LEASE_MINUTES).
 *
 * Every write is conditioned (create-if-absent, or Replace on the ETag read), so of two schedulers
 * racing for one tenant exactly one wins. Release deletes only the lease the check was given
 * (LeaseId), so a late check cannot release the lease of the check queued after it.
 *
 * The lease taken at queueing time only has to cover the wait in the queue; when the check starts
 * it `claim`s the lease again for a full CHECK_LEASE_MINUTES, so the lease covers the run itself
 * however long the backlog was. A message whose lease was taken over meanwhile (its lease expired
 * in the backlog and the scheduler queued the tenant again) finds another live lease and is
 * skipped as a duplicate instead of racing the newer check.
 */
import { randomUUID } from "node:crypto";
import { MAX_CHECK_LEASE_MINUTES } from "../../config/app-settings.js";
import type { LazyTable } from "../connection.js";
import { isNotFound, statusOf, StoreError } from "../errors.js";
import { decodeLease as toLease, encodeLeaseRow, isLive, type Lease } from "./codecs/lease.js";
import { LEASE_ROW } from "./keys.js";
import type { Row } from "./table.js";

type AcquireResult = { readonly acquired: true; readonly lease: Lease } | { readonly acquired: false; readonly heldUntil: string };

type ClaimResult =
  | { readonly claimed: true; readonly lease: Lease; readonly renewed: boolean }
  | { readonly claimed: false; readonly heldBy: string; readonly heldUntil: string };

export class CheckLeases {
  constructor(private readonly table: LazyTable) {}

  private read(tenantId: string): Promise<Row | undefined> {
    return this.table.getRow(tenantId, LEASE_ROW, `the check lease of tenant ${tenantId}`);
  }

  /** The live lease of a tenant, if any; `longestMs`: the longest lease this app takes (CHECK_LEASE_MINUTES, at most a week), see isLive. */
  async current(tenantId: string, now: Date, longestMs: number = MAX_CHECK_LEASE_MINUTES * 60_000): Promise<Lease | undefined> {
    const row = await this.read(tenantId);
    if (!row) return undefined;
    const lease = toLease(row);
    return isLive(lease, now, longestMs) ? lease : undefined;
  }

  /** Takes the tenant's lease for `durationMs` unless a live one is held. */
  async acquire(tenantId: string, now: Date, durationMs: number, reason: string): Promise<AcquireResult> {
    const lease: Lease = {
      leaseId: randomUUID(),
      leasedUntil: new Date(now.getTime() + durationMs).toISOString(),
      acquiredAt: now.toISOString(),
      reason,
    };
    const entity = encodeLeaseRow(tenantId, lease);
    const client = await this.table.ready();
    const existing = await this.read(tenantId);
    try {
      if (!existing) {
        await client.createEntity(entity);
      } else {
        const held = toLease(existing);
        if (isLive(held, now, durationMs)) return { acquired: false, heldUntil: held.leasedUntil };
        await client.updateEntity(entity, "Replace", { etag: existing.etag });
      }
    } catch (error) {
      const status = statusOf(error);
      // 409 (created meanwhile) or 412 (replaced meanwhile): another scheduler won the race.
      if (status === 409 || status === 412) {
        const winner = await this.read(tenantId);
        return { acquired: false, heldUntil: winner ? toLease(winner).leasedUntil : lease.leasedUntil };
      }
      throw new StoreError(`could not take the check lease of tenant ${tenantId}`, error);
    }
    return { acquired: true, lease };
  }

  /**
   * A check starting: makes `leaseId` the tenant's lease until `now + durationMs`, if it still
   * holds it (renewed), or no live lease is held (taken: none, or an expired one). Another live
   * lease means another check of the tenant is queued or running: not claimed. Conditioned on the
   * ETag read, so of two checks starting at once exactly one claims it.
   */
  async claim(tenantId: string, leaseId: string, now: Date, durationMs: number, reason: string): Promise<ClaimResult> {
    const client = await this.table.ready();
    for (let attempt = 1; ; attempt++) {
      const existing = await this.read(tenantId);
      const held = existing ? toLease(existing) : undefined;
      if (held && held.leaseId !== leaseId && isLive(held, now, durationMs)) return { claimed: false, heldBy: held.leaseId, heldUntil: held.leasedUntil };
      const renewed = held?.leaseId === leaseId;
      const lease: Lease = {
        leaseId,
        leasedUntil: new Date(now.getTime() + durationMs).toISOString(),
        acquiredAt: renewed && held ? held.acquiredAt : now.toISOString(),
        reason: renewed && held ? held.reason : reason,
      };
      const entity = encodeLeaseRow(tenantId, lease, now);
      try {
        if (existing) await client.updateEntity(entity, "Replace", { etag: existing.etag });
        else await client.createEntity(entity);
        return { claimed: true, lease, renewed };
      } catch (error) {
        const status = statusOf(error);
        // 409/412: the row changed since it was read. Read it again and decide again (bounded).
        if ((status === 409 || status === 412 || status === 404) && attempt < 3) continue;
        if (status === 409 || status === 412 || status === 404) {
          const winner = await this.read(tenantId);
          const w = winner ? toLease(winner) : undefined;
          return { claimed: false, heldBy: w?.leaseId ?? "", heldUntil: w?.leasedUntil ?? now.toISOString() };
        }
        throw new StoreError(`could not claim the check lease of tenant ${tenantId}`, error);
      }
    }
  }

  /** Releases the lease if it is still the one given (true), else leaves it alone (false). */
  async release(tenantId: string, leaseId: string): Promise<boolean> {
    const row = await this.read(tenantId);
    if (!row || toLease(row).leaseId !== leaseId) return false;
    const client = await this.table.ready();
    try {
      await client.deleteEntity(tenantId, LEASE_ROW, { etag: row.etag });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 412) return false;
      throw new StoreError(`could not release the check lease of tenant ${tenantId}`, error);
    }
  }

  /** Removes whatever lease a tenant has (the tenant was deleted). */
  async clear(tenantId: string): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.deleteEntity(tenantId, LEASE_ROW);
    } catch (error) {
      if (!isNotFound(error)) throw new StoreError(`could not remove the check lease of tenant ${tenantId}`, error);
    }
  }
}
