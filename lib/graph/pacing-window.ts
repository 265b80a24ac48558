/**
 * One budget of the form "at most `limit` requests in any `windowMs`" (how Graph states its CA
 * and report limits), kept by the caller so it never meets the server's 429.
 *
 * A request holds a slot from the moment it is sent until `windowMs` after its answer came back.
 * Counting from the answer rather than from the send is what makes this safe without guessing
 * the network: Graph meters a request when it arrives, which is somewhere between the two, so a
 * window that starts at the answer can only be longer than the one Graph sees. The cost is one
 * latency per window (100 ms on 10 s: 1 %).
 */
export class SlidingWindow {
  /** When each finished request's slot frees up (answer time + window), ascending. */
  private readonly freesAt: number[] = [];
  private inFlight = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`SlidingWindow: limit must be a positive integer, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`SlidingWindow: windowMs must be positive, got ${windowMs}`);
  }

  private prune(now: number): void {
    let expired = 0;
    while (expired < this.freesAt.length && this.freesAt[expired]! <= now) expired += 1;
    if (expired > 0) this.freesAt.splice(0, expired);
  }

  /**
   * The earliest time `n` more requests may be sent: `now`, a later time, or Infinity when only
   * an answer still on its way can free a slot (the caller waits for `finish`).
   */
  readyAt(now: number, n = 1): number {
    this.prune(now);
    // More than the window ever allows at once cannot be paced; let it go alone when empty.
    const want = Math.min(n, this.limit);
    const excess = this.freesAt.length + this.inFlight + want - this.limit;
    if (excess <= 0) return now;
    if (excess > this.freesAt.length) return Number.POSITIVE_INFINITY;
    return this.freesAt[excess - 1]!;
  }

  /** `n` requests were sent. */
  start(n = 1): void {
    this.inFlight += n;
  }

  /** `n` requests started were not sent after all: their slots are free at once. */
  cancel(n = 1): void {
    this.inFlight = Math.max(0, this.inFlight - n);
  }

  /** `n` requests sent earlier were answered at `now`. */
  finish(now: number, n = 1): void {
    this.inFlight = Math.max(0, this.inFlight - n);
    const at = now + this.windowMs;
    for (let i = 0; i < n; i += 1) {
      // Answers come back nearly in order, so this is almost always a push.
      let j = this.freesAt.length;
      while (j > 0 && this.freesAt[j - 1]! > at) j -= 1;
      this.freesAt.splice(j, 0, at);
    }
  }

  /** Nothing in flight and nothing remembered: the window can be forgotten. */
  isIdle(now: number): boolean {
    this.prune(now);
    return this.inFlight === 0 && this.freesAt.length === 0;
  }
}
