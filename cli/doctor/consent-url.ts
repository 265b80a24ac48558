/**
 * The admin consent link a customer tenant's Global Administrator opens to grant the monitoring
 * app its application permissions. Pure: identifiers in, a URL or the problems with them out.
 * The tenant-specific (v1) endpoint consents to every permission the app registration lists under
 * "API permissions", which is what an app-only daemon needs; no scope list to keep in step.
 */
import { isGuid, tenantIdProblem } from "../report/identifiers.js";

const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

interface ConsentUrlInput {
  readonly tenantId: string;
  /** The multi-tenant app's client id; undefined when neither --client-id nor AZURE_CLIENT_ID gave one. */
  readonly clientId: string | undefined;
  /** Must match a redirect URI registered on the app exactly; Entra sends the admin there afterwards. */
  readonly redirectUri?: string;
  readonly authorityHost?: string;
}

type ConsentUrlResult = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problems: readonly string[] };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

function redirectProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `redirect URI "${value}" is not an absolute URL: use one registered on the app, e.g. https://localhost/consented`;
  }
  // Entra accepts http only for loopback reply URLs, and never one with a fragment.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    return `redirect URI "${value}" must use https (http only for localhost)`;
  }
  if (url.hash) return `redirect URI "${value}" must not have a #fragment`;
  return undefined;
}

function authorityProblem(value: string): string | undefined {
  try {
    return new URL(value).protocol === "https:" ? undefined : `AZURE_AUTHORITY_HOST must be an https URL, got "${value}"`;
  } catch {
    return `AZURE_AUTHORITY_HOST must be an https URL, got "${value}"`;
  }
}

export function adminConsentUrl(input: ConsentUrlInput): ConsentUrlResult {
  const authority = (input.authorityHost?.trim() || DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  const problems = [
    tenantIdProblem(input.tenantId.trim()),
    input.clientId === undefined || input.clientId.trim() === ""
      ? "no client id: pass --client-id <application (client) id of the multi-tenant app> or set AZURE_CLIENT_ID"
      : isGuid(input.clientId.trim())
        ? undefined
        : `client id "${input.clientId}" is not an application (client) id GUID (App registrations → the app → Overview)`,
    input.redirectUri === undefined ? undefined : redirectProblem(input.redirectUri.trim()),
    authorityProblem(authority),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) return { ok: false, problems };

  const url = new URL(`${authority}/${encodeURIComponent(input.tenantId.trim().toLowerCase())}/adminconsent`);
  url.searchParams.set("client_id", (input.clientId ?? "").trim().toLowerCase());
  if (input.redirectUri !== undefined) url.searchParams.set("redirect_uri", input.redirectUri.trim());
  return { ok: true, url: url.toString() };
}
