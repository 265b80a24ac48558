/**
 * Who gets an alert: the tenant's own list plus the global ALERT_TO, once each. Addresses are
 * validated where they enter (tenant registration, settings), not here; here they are only
 * de-duplicated case-insensitively, keeping the first spelling.
 */
export function mergeRecipients(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const address = raw.trim();
      const key = address.toLowerCase();
      if (address === "" || seen.has(key)) continue;
      seen.add(key);
      out.push(address);
    }
  }
  return out;
}
