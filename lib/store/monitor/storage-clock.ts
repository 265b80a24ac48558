/**
 * The storage service's clock for every time one host compares with another's: when a check was
 * made (which of two checks of a tenant is newer), when a lease runs out, which cell of a sending
 * ledger is free. Hosts' own clocks may be off by any amount (an operator's laptop, a VM whose NTP
 * broke); the storage account they share has one clock. Each process learns its offset from it
 * (server-clock.ts: the time the service stamps on a write, in the answer's ETag, to within half
 * the round trip) by upserting one row of its own kind, at most once a sample's life (a minute),
 * and reads "now" as its own clock plus that offset.
 *
 * `wall` is the process's own clock, injected: the offset is relative to it, so every time handed
 * in (a `now` a caller read) must come from the same clock.
 */
import { StoreError } from "../errors.js";
import type { LazyTable } from "../connection.js";
import { CLOCK_PARTITION, CLOCK_ROW } from "./keys.js";
import { etagTime, ServerClock } from "./server-clock.js";

/** The storage service's time, as a process knows it. */
export interface StorageTime {
  /** Service time − this process's clock, in ms (probing the service when no sample holds). */
  offsetMs(): Promise<number>;
  /** The service's time now. */
  now(): Promise<Date>;
}

const RETRY_AFTER_FAILURE_MS = 5_000;

interface StorageClockOptions {
  readonly wall?: () => number;
  /** Monotonic ms: a sample's age, and a check that the wall clock did not step since. */
  readonly elapsed?: () => number;
}

export class StorageClock implements StorageTime {
  private readonly clock = new ServerClock();
  private readonly wall: () => number;
  private readonly elapsed: () => number;
  private probing: Promise<void> | undefined;
  /** The offset of the last probe, kept past its sample's life for `current`: clocks drift by milliseconds an hour. */
  private lastOffsetMs: number | undefined;
  /** Monotonic time of the last failed probe. */
  private failedAt = Number.NEGATIVE_INFINITY;
  /** Probes written so far (a write each). */
  probes = 0;

  constructor(
    private readonly table: LazyTable,
    options: StorageClockOptions = {},
  ) {
    this.wall = options.wall ?? Date.now;
    this.elapsed = options.elapsed ?? (() => performance.now());
  }

  async offsetMs(): Promise<number> {
    const known = this.clock.at(this.wall(), this.elapsed());
    if (known) return known.offsetMs;
    await this.refresh();
    const learnt = this.clock.at(this.wall(), this.elapsed());
    if (!learnt) throw new StoreError("could not learn the storage service's time", new Error("the probe's answer was stale when read"));
    return learnt.offsetMs;
  }

  async now(): Promise<Date> {
    const offset = await this.offsetMs();
    return new Date(Math.round(this.wall() + offset));
  }

  /**
   * The service's time now, for callers that cannot wait (an app's `now`): from the offset last
   * learnt, or the process's own clock before the first probe has answered. A stale sample is
   * refreshed in the background; a probe that fails is tried again at the next reading.
   */
  current(): Date {
    const mono = this.elapsed();
    // A failed probe is not tried again from here for a few seconds: a storage outage must not turn every reading into a request.
    if (!this.clock.at(this.wall(), mono) && mono - this.failedAt >= RETRY_AFTER_FAILURE_MS) {
      this.refresh().catch(() => (this.failedAt = this.elapsed()));
    }
    return new Date(Math.round(this.wall() + (this.lastOffsetMs ?? 0)));
  }

  /** One probe at a time: the readers a process has at once share it. */
  private refresh(): Promise<void> {
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<void> {
    const client = await this.table.ready();
    const sentAt = this.wall();
    let etag: string | undefined;
    try {
      // An upsert never conflicts: every process may probe at once.
      etag = (await client.upsertEntity({ partitionKey: CLOCK_PARTITION, rowKey: CLOCK_ROW }, "Replace")).etag;
    } catch (error) {
      throw new StoreError("could not learn the storage service's time", error);
    }
    this.probes += 1;
    const serverAt = etagTime(etag);
    if (serverAt === undefined) throw new StoreError("could not learn the storage service's time", new Error(`the ETag ${String(etag)} carries none`));
    const answeredAt = this.wall();
    this.clock.observe(serverAt, sentAt, answeredAt, this.elapsed());
    this.lastOffsetMs = serverAt - (sentAt + answeredAt) / 2;
  }
}
