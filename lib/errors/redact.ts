/**
 * One redaction for every error text that is stored (fact failure reasons, outbox rows, poisoned
 * reasons), shown (API answers) or logged. Upstream services echo what they were sent: a token
 * endpoint the client secret, Graph the bearer token, ACS its key, a webhook its URL. Codes
 * (AADSTS…, Graph error codes, HTTP statuses) stay; the secrets go.
 *
 * Configured secrets are registered when settings are loaded (registerSecrets); the patterns
 * catch what no setting names (a token Entra minted, a signature in a URL).
 */

const MIN_SECRET_LENGTH = 6;
const secrets = new Set<string>();

/** Known webhook hosts: their URL path is the token. */
const WEBHOOK_URL = /\bhttps?:\/\/([A-Za-z0-9-]+\.)*(webhook\.office\.com|hooks\.slack\.com|logic\.azure\.com|outlook\.office\.com)[^\s"'<>)]*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi;
const AUTHORIZATION = /\b(authorization|x-ms-access-key|api-key)(["']?\s*[:=]\s*["']?)[^\r\n"',;}]*/gi;
const FORM_VALUE = /\b(sig|code|key|client_secret|client_assertion|access_token|refresh_token|password|accesskey|accountkey|sharedaccesskey)=[^&\s"';,)]*/gi;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Adds configured secrets (a client secret, a key, a webhook URL). A URL's path is a secret too. */
export function registerSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (value === undefined || value.trim().length < MIN_SECRET_LENGTH) continue;
    const v = value.trim();
    secrets.add(v);
    secrets.add(encodeURIComponent(v));
    if (/^https?:\/\//i.test(v)) {
      try {
        const url = new URL(v);
        if (url.pathname.length >= MIN_SECRET_LENGTH) secrets.add(url.pathname);
      } catch {
        // not a URL after all: the value itself is registered
      }
    }
  }
}

/** The text with every configured secret and every secret-shaped value replaced by [redacted]. */
export function redact(text: string): string {
  let out = text;
  // Longest first, so a URL goes before its own path.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.replace(new RegExp(escapeRegExp(s), "g"), "[redacted]");
  return out
    .replace(WEBHOOK_URL, (url) => `${url.replace(/^(https?:\/\/[^/\s]+).*$/i, "$1")}/[redacted]`)
    .replace(JWT, "[redacted-jwt]")
    .replace(BEARER, "$1 [redacted]")
    .replace(AUTHORIZATION, "$1$2[redacted]")
    .replace(FORM_VALUE, (m) => `${m.slice(0, m.indexOf("="))}=[redacted]`);
}
