/**
 * The longest wait a sender obeys. A Retry-After, a throttle marker, a ledger slot or a stored next
 * attempt further ahead than this is a broken clock, a hostile or buggy server, or a row written by
 * an older version: obeying it would silence a channel for as long as it says (a century, once).
 * Times are clamped to it before they are stored, and a stored time beyond it is rewritten clamped.
 * An hour is the longest wait a real limit asks of this app (ACS counts per hour; backoff caps at an hour).
 */
export const WAIT_HORIZON_MS = 60 * 60_000;

/** `untilMs`, or `nowMs` + the horizon if it lies further ahead. */
export const clampUntil = (nowMs: number, untilMs: number): number => Math.min(untilMs, nowMs + WAIT_HORIZON_MS);

/** True when a stored time lies beyond the horizon: it is to be repaired, not obeyed. */
export const beyondHorizon = (nowMs: number, untilMs: number): boolean => untilMs > nowMs + WAIT_HORIZON_MS;

/**
 * How long ago `atMs` was, for what is due once a stored time is old enough (a daily snapshot, a
 * refused read asked again). A time beyond the horizon ahead was stamped by a clock far ahead:
 * it counts as long ago, so what waits on its age is due now (and restamped) instead of never.
 */
export const ageMs = (nowMs: number, atMs: number): number => (beyondHorizon(nowMs, atMs) ? Number.POSITIVE_INFINITY : nowMs - atMs);
