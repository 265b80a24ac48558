/**
 * One TokenCredential per tenant, chosen by settings, reused across runs: @azure/identity caches
 * the tokens inside each credential instance, so keeping the instance is what keeps the token.
 */
import { createHash } from "node:crypto";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import type { GraphAuthSettings } from "../config/settings.js";

/** The audience a managed identity's token must have to serve as a federated client assertion. */
export const TOKEN_EXCHANGE_SCOPE = "api://AzureADTokenExchange/.default";

/** Microsoft's own authority hosts; any other host (the simulator, a proxy) skips instance discovery. */
const MICROSOFT_AUTHORITIES = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

export class CredentialConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialConfigError";
  }
}

/** GRAPH_ACCESS_TOKEN as a TokenCredential: the same bearer token for every request. */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}
  async getToken(): Promise<AccessToken> {
    return { token: this.token, expiresOnTimestamp: jwtExpiry(this.token) ?? Date.now() + 60 * 60 * 1000 };
  }
}

/** `exp` of a JWT in ms, when the token is one (a ready token may be opaque). */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = typeof claims === "object" && claims !== null ? (claims as { exp?: unknown }).exp : undefined;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function isMicrosoftAuthority(authorityHost: string): boolean {
  try {
    return MICROSOFT_AUTHORITIES.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new CredentialConfigError(`Graph credential: ${what} is not set`);
  return value;
}

/** Managed identities are per app, not per tenant: one instance serves every tenant's assertion. */
const managedIdentities = new Map<string, ManagedIdentityCredential>();

function managedIdentity(clientId: string): ManagedIdentityCredential {
  let mi = managedIdentities.get(clientId);
  if (!mi) {
    mi = new ManagedIdentityCredential({ clientId });
    managedIdentities.set(clientId, mi);
  }
  return mi;
}

export interface CredentialDeps {
  /** The managed identity whose token is the federated assertion (tests pass a fake). */
  readonly managedIdentity?: (clientId: string) => TokenCredential;
}

/** Builds a new credential for one tenant (uncached; see getCredential). */
export function createCredential(tenantId: string, auth: GraphAuthSettings, deps: CredentialDeps = {}): TokenCredential {
  const common = {
    authorityHost: auth.authorityHost,
    // Instance discovery asks login.microsoftonline.com about the authority; for any other
    // authority (the simulator) it would fail or leak the request, so it is skipped.
    disableInstanceDiscovery: !isMicrosoftAuthority(auth.authorityHost),
  };
  switch (auth.mode) {
    case "token":
      return new StaticTokenCredential(need(auth.accessToken, "GRAPH_ACCESS_TOKEN"));
    case "secret":
      return new ClientSecretCredential(tenantId, need(auth.clientId, "AZURE_CLIENT_ID"), need(auth.clientSecret, "AZURE_CLIENT_SECRET"), common);
    case "certificate":
      return new ClientCertificateCredential(
        tenantId,
        need(auth.clientId, "AZURE_CLIENT_ID"),
        { certificatePath: need(auth.certificatePath, "AZURE_CLIENT_CERTIFICATE_PATH"), ...(auth.certificatePassword ? { certificatePassword: auth.certificatePassword } : {}) },
        common,
      );
    case "federated": {
      // Secretless: the app registration trusts the user-assigned managed identity (a federated
      // identity credential), so the identity's token for the exchange audience is the assertion.
      const mi = (deps.managedIdentity ?? managedIdentity)(need(auth.managedIdentityClientId, "MANAGED_IDENTITY_CLIENT_ID"));
      const getAssertion = async (): Promise<string> => {
        const token = await mi.getToken(TOKEN_EXCHANGE_SCOPE);
        if (!token) throw new CredentialConfigError("The managed identity returned no token for api://AzureADTokenExchange");
        return token.token;
      };
      return new ClientAssertionCredential(tenantId, need(auth.clientId, "AZURE_CLIENT_ID"), getAssertion, common);
    }
  }
}

/**
 * Wraps a credential so that concurrent requests of one tenant (the v1.0 and beta batches go out
 * together) share one token request, and a token is reused until shortly before it expires.
 * @azure/identity caches too, but only once a request has finished: two parallel first calls
 * would both go to Entra.
 */
export class SharedTokenCredential implements TokenCredential {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly inflight = new Map<string, Promise<AccessToken | null>>();
  constructor(
    private readonly inner: TokenCredential,
    private readonly now: () => number = Date.now,
    /** Renew this long before expiry, so a token never expires mid-run. */
    private readonly marginMs = 5 * 60 * 1000,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
    const cached = this.tokens.get(key);
    if (cached && cached.expiresOnTimestamp - this.marginMs > this.now()) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.inner.getToken(scopes, options).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const token = await pending;
    if (token) this.tokens.set(key, token);
    return token;
  }
}

const cache = new Map<string, TokenCredential>();

/** The tenant's credential, made once per (tenant, auth settings) and reused. */
export function getCredential(tenantId: string, auth: GraphAuthSettings, deps: CredentialDeps = {}): TokenCredential {
  // A rotated secret or token must give a new credential; it enters the key only as a digest.
  const secret = createHash("sha256").update(`${auth.clientSecret ?? ""}|${auth.accessToken ?? ""}|${auth.certificatePassword ?? ""}`).digest("hex");
  const key = JSON.stringify([tenantId.toLowerCase(), auth.mode, auth.clientId ?? "", auth.authorityHost, auth.certificatePath ?? "", auth.managedIdentityClientId ?? "", secret]);
  let credential = cache.get(key);
  if (!credential) {
    credential = new SharedTokenCredential(createCredential(tenantId, auth, deps));
    cache.set(key, credential);
  }
  return credential;
}

/** Forgets cached credentials (tests; a rotated secret). */
export function clearCredentialCache(): void {
  cache.clear();
  managedIdentities.clear();
}
