/**
 * Graph's 429s per tenant since they were last taken: the Graph client adds what it sees
 * (createGraphClient's onThrottled), and the check's log line takes its tenant's count, so the
 * workbook can chart every 429, the ones a retry got past included. One check of a tenant runs
 * at a time (its lease), so a count is that check's.
 */
export class ThrottleTally {
  private readonly counts = new Map<string, number>();

  add(tenantId: string, count: number): void {
    this.counts.set(tenantId, (this.counts.get(tenantId) ?? 0) + count);
  }

  /** The tenant's count, reset to 0. */
  take(tenantId: string): number {
    const count = this.counts.get(tenantId) ?? 0;
    this.counts.delete(tenantId);
    return count;
  }
}
