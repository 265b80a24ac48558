/**
 * The one rule behind the sessions-revoked warning and the audit-log read that explains it
 * (lib/graph/facts/session-revocation.ts): both ask here, so the log is read exactly when the
 * warning stands, never for a warning that does not, nor missing for one that does.
 */

/** How far either side of the revocation the audit log is searched (the property and the log entry are stamped apart). */
export const AUDIT_SEARCH_MINUTES = 10;

/** The instant the sessions were revoked when that is later than the last successful sign-in; null otherwise or when either time is unknown. */
export function revokedAfterLastSignIn(validFrom: string | null | undefined, lastSuccessful: string | null | undefined): string | null {
  const from = Date.parse(validFrom ?? "");
  const last = Date.parse(lastSuccessful ?? "");
  return validFrom && !Number.isNaN(from) && !Number.isNaN(last) && from > last ? validFrom : null;
}
