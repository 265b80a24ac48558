/**
 * Periodic reads spread over their period: each key (a tenant, or a tenant and what is read) has
 * its own offset within the period, so an estate's reads of one kind land a few in every run
 * instead of all in the run after a first run, one period later.
 */
const HOUR = 3_600_000;

/** FNV-1a: a stable, well-spread offset per key without a crypto import. */
function offsetMs(key: string, periodMs: number): number {
  let h = 0x811c9dc5;
  for (const ch of key.toLowerCase()) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % periodMs;
}

/** The key's period number at `at` (periods of `hours`, at least 1): a read is due when it differs from the last read's. */
export function periodOf(key: string, at: number, hours: number): number {
  const period = Math.max(1, hours) * HOUR;
  return Math.floor((at + offsetMs(key, period)) / period);
}
