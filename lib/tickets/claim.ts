/**
 * A claim is a finding's ticket row written with no ticket id, just before the create: whoever
 * wrote it is opening that generation's ticket. Another deliverer that finds the claim and no
 * ticket under its key cannot tell a create still under way from a process that died after
 * claiming, so the claim has a life, counted on the storage service's clock from when the service
 * stamped the row (so hosts whose clocks disagree agree on its age):
 *
 * - while it lives, nobody else creates: the event is retried once the claim is over;
 * - its maker's create stops within the first part of that life (`createBudgetMs`: no PSA request
 *   starts after it and one in flight is cut off), so the rest is time for a request already
 *   received to be saved by the PSA before anyone looks it up by its key;
 * - once it is over, the claim is abandoned: the next deliverer looks the ticket up by its key and
 *   takes the claim over (or records what it finds).
 */

/** Long enough that a create's budget holds a few attempts of a 20–30 s call; a slower create is cut off and tried again later. */
export const CLAIM_TTL_MS = 180_000;

/** The part of the claim's life its maker's create may use. */
export const createBudgetMs = (ttlMs: number): number => Math.floor((ttlMs * 2) / 3);

type ClaimStanding = { readonly kind: "live"; readonly retryAfterMs: number } | { readonly kind: "abandoned" };

/**
 * Whether a claim the service stamped at `writtenAt` still stands at service time `now`. A stamp a
 * little in the future (the reader's estimate of the service's clock is off by its uncertainty) is
 * waited on for one life at most; one further ahead than a whole life cannot come from the service's
 * clock and, like a claim with no stamp, cannot be aged: it counts as abandoned, since waiting on it
 * would leave the finding without a ticket for good.
 */
export function claimStanding(writtenAt: number | undefined, now: number, ttlMs: number): ClaimStanding {
  if (writtenAt === undefined || !Number.isFinite(writtenAt)) return { kind: "abandoned" };
  const age = now - writtenAt;
  if (age >= ttlMs || age < -ttlMs) return { kind: "abandoned" };
  return { kind: "live", retryAfterMs: Math.min(ttlMs, ttlMs - age) };
}

/** Another deliverer holds a live claim on the finding's ticket: try the event again after `retryAfterMs`. */
export class ClaimPending extends Error {
  override readonly name = "ClaimPending";
  constructor(
    findingKey: string,
    readonly retryAfterMs: number,
  ) {
    super(`another deliverer is opening the ticket of finding ${findingKey.slice(0, 12)}; trying again in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}
