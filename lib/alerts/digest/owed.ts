/**
 * The day's digest when its timer ran today but a channel did not send it: the mail quota held it
 * past the timer's short wait (the timer and the delivery sweep both fire at 07:00, and a backlog
 * takes every cell as it frees), or a 429. The timer fires once a day, so without this
 * the digest — the watcher's own daily word — waits for tomorrow, and on a busy day never goes.
 * The delivery sweep calls this before its own rows and waits for the quota's next cell as it
 * does for them; the ledger (one claim per channel and day) still sends it once.
 */
import { sendDigest, type DigestDeps, type DigestLedger, type DigestResult } from "./send.js";

export interface OwedDigestLedger extends DigestLedger {
  digestOwed(day: string, channels: readonly string[]): Promise<boolean>;
}

/**
 * Sends today's digest if it is owed (a channel was held back by a wait today and has not sent it), waiting up to `waitMs` for
 * the quota; else nothing. A channel that failed otherwise is not retried here: that would spend a quota cell every sweep.
 */
export async function sendOwedDigest(deps: DigestDeps & { readonly ledger: OwedDigestLedger }, waitMs: number): Promise<DigestResult | undefined> {
  if (deps.settings.to.length === 0) return undefined;
  const day = deps.now().toISOString().slice(0, 10);
  if (!(await deps.ledger.digestOwed(day, deps.channels.map((c) => c.name)))) return undefined;
  return sendDigest({ ...deps, maxInlineWaitMs: waitMs });
}
