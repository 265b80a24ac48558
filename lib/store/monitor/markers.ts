/**
 * Markers every sender shares (rows in codecs/marker.ts), so that instances coordinate through
 * the table instead of each deciding alone:
 * - the throttle: until when a channel (the ACS sender) asked everyone to wait. Written when it
 *   answers 429, read before sending, so every instance's queue trigger and sweep backs off
 *   together instead of stampeding a 5-a-minute sender;
 * - the digest ledger: which channels sent a day's digest, and which run is sending one now (a
 *   lease taken with the row's ETag), so the digest goes out once a day however often the timer fires.
 */
import type { LazyTable } from "../connection.js";
import { isNotFound, statusOf, StoreError } from "../errors.js";
import { checkChannel, decodeDigestSent, decodeThrottleUntil, digestColumn, encodeDigestColumns, encodeThrottleRow, throttleKey } from "./codecs/marker.js";
import { textColumn } from "./codecs/alert.js";
import { DELIVERY_PARTITION, DIGEST_PARTITION } from "./keys.js";
import { beyondHorizon, clampUntil } from "../../retry/horizon.js";
import type { Row } from "./table.js";

/** What claimDigestChannel found: this run sends it, it was sent already, or another run is at it. */
export type DigestClaim = "claimed" | "sent" | "busy";

export class DeliveryMarkers {
  constructor(private readonly table: LazyTable) {}

  private read(partition: string, rowKey: string): Promise<Row | undefined> {
    return this.table.getRow(partition, rowKey, `${partition}/${rowKey}`);
  }

  /**
   * Until when `channel` asked every sender to wait, or null. A mark beyond the wait horizon (an
   * older version stored Retry-After as given; a broken clock) is rewritten clamped, not obeyed.
   */
  async throttledUntil(channel: string, now: Date): Promise<Date | null> {
    checkChannel(channel);
    const row = await this.read(DELIVERY_PARTITION, throttleKey(channel));
    const until = decodeThrottleUntil(row);
    if (!until || !beyondHorizon(now.getTime(), until.getTime())) return until;
    const clamped = new Date(clampUntil(now.getTime(), until.getTime()));
    await this.write(channel, clamped, `${textColumn(row?.Reason) ?? "throttled"} (repaired: was until ${until.toISOString()})`);
    return clamped;
  }

  /**
   * Records that `channel` asked for a wait until `until` (clamped to the wait horizon from `now`).
   * Only ever moves the mark later (a stale, earlier 429 arriving last does not shorten it); a race
   * between two writers may keep the earlier of two close times, which costs one more 429, never a lost alert.
   */
  async recordThrottle(channel: string, until: Date, reason: string, now: Date): Promise<void> {
    checkChannel(channel);
    const clamped = new Date(clampUntil(now.getTime(), until.getTime()));
    const current = await this.throttledUntil(channel, now);
    if (current && current.getTime() >= clamped.getTime()) return;
    await this.write(channel, clamped, reason);
  }

  private async write(channel: string, until: Date, reason: string): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.upsertEntity(encodeThrottleRow(channel, until, reason), "Replace");
    } catch (error) {
      throw new StoreError(`could not record the throttling of ${channel}`, error);
    }
  }

  /** When `day`'s digest was sent through each channel (channel → ISO time). */
  async digestSent(day: string): Promise<Record<string, string>> {
    return decodeDigestSent(await this.read(DIGEST_PARTITION, day));
  }

  /**
   * Takes the lease on sending `day`'s digest through `channel` (written with the row's ETag, or
   * created), unless it was sent already or another run holds a live lease.
   */
  async claimDigestChannel(day: string, channel: string, now: Date, leaseMs: number): Promise<DigestClaim> {
    checkChannel(channel);
    const sentCol = digestColumn("Sent", channel);
    const claimCol = digestColumn("Claim", channel);
    const client = await this.table.ready();
    for (let i = 0; i < 3; i++) {
      const row = await this.read(DIGEST_PARTITION, day);
      if (textColumn(row?.[sentCol])) return "sent";
      // A claim ending further ahead than any run takes one (a host's clock far ahead) is taken over, not obeyed all day.
      const claimedUntil = Date.parse(textColumn(row?.[claimCol]) ?? "");
      if (claimedUntil > now.getTime() && !beyondHorizon(now.getTime() + leaseMs, claimedUntil)) return "busy";
      const entity = encodeDigestColumns(day, { [claimCol]: new Date(now.getTime() + leaseMs).toISOString() });
      try {
        if (row) await client.updateEntity(entity, "Merge", { etag: row.etag });
        else await client.createEntity(entity);
        return "claimed";
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412 || isNotFound(error)) continue; // another run moved first: look again
        throw new StoreError(`could not claim the ${day} digest for ${channel}`, error);
      }
    }
    return "busy";
  }

  /** Records `day`'s digest as sent through `channel` (only this channel's columns: Merge, unconditional). */
  async recordDigestSent(day: string, channel: string, now: Date): Promise<void> {
    checkChannel(channel);
    const client = await this.table.ready();
    try {
      const columns = { [digestColumn("Sent", channel)]: now.toISOString(), [digestColumn("Claim", channel)]: "" };
      await client.upsertEntity(encodeDigestColumns(day, columns), "Merge");
    } catch (error) {
      throw new StoreError(`could not record the ${day} digest as sent via ${channel}`, error);
    }
  }

  /**
   * True when some of `channels` was held back from sending `day`'s digest by a wait (the quota, a
   * 429) and has not sent it since. A channel that failed otherwise is not owed: retrying it every
   * sweep would spend the quota's cells on a sender that refuses.
   */
  async digestOwed(day: string, channels: readonly string[]): Promise<boolean> {
    const row = await this.read(DIGEST_PARTITION, day);
    if (!row) return false;
    const sent = decodeDigestSent(row);
    return channels.some((c) => !sent[c] && textColumn(row[digestColumn("Held", c)]) === "1");
  }

  /** Gives the lease back after a failed send, so a later run the same day tries again; `held`: it was only a wait (digestOwed). */
  async releaseDigestChannel(day: string, channel: string, held = false): Promise<void> {
    checkChannel(channel);
    const client = await this.table.ready();
    try {
      // `held`: it only waits (quota, 429), so the delivery sweep sends it later today (digestOwed).
      await client.upsertEntity(encodeDigestColumns(day, { [digestColumn("Claim", channel)]: "", [digestColumn("Held", channel)]: held ? "1" : "" }), "Merge");
    } catch (error) {
      throw new StoreError(`could not release the ${day} digest for ${channel}`, error);
    }
  }
}
