/**
 * The TokenCredential of each tenant, chosen by settings, reused across runs. What is kept per
 * tenant is small: a SharedTokenCredential and the tokens it holds. The @azure/identity
 * credential behind it (with its MSAL confidential client app, ~21 KB of live heap) is needed
 * only to fetch a token, so those sit in a bounded LRU and an evicted one is rebuilt on the next
 * token miss; the token it fetched stays with the tenant, so eviction costs no token request.
 */
import { createHash } from "node:crypto";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import type { GraphAuthSettings } from "../config/settings.js";
import { jwtExpiry } from "./jwt.js";

/** The audience a managed identity's token must have to serve as a federated client assertion. */
export const TOKEN_EXCHANGE_SCOPE = "api://AzureADTokenExchange/.default";

/** Microsoft's own authority hosts; any other host (the simulator, a proxy) skips instance discovery. */
const MICROSOFT_AUTHORITIES = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn"]);

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

export function isMicrosoftAuthority(authorityHost: string): boolean {
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
        {
          certificatePath: need(auth.certificatePath, "AZURE_CLIENT_CERTIFICATE_PATH"),
          ...(auth.certificatePassword ? { certificatePassword: auth.certificatePassword } : {}),
        },
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
 * A Map with a capacity: reading or writing an entry makes it the most recent, and writing past
 * the capacity drops the least recently used (a Map iterates in insertion order).
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LruMap capacity must be a positive integer, got ${capacity}`);
  }
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
    return this;
  }
  /** The entry, made by `make` (and stored) when missing. */
  getOrSet(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
    }
    return value;
  }
  delete(key: K): boolean {
    return this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

/**
 * Wraps a credential so that concurrent requests of one tenant (the v1.0 and beta batches go out
 * together) share one token request, and a token is reused until shortly before it expires.
 * @azure/identity caches too, but only once a request has finished: two parallel first calls
 * would both go to Entra; and its cache lives in the heavy credential, which getCredential does
 * not keep for every tenant.
 *
 * `inner` is a credential or a function that gives one; the function is called only on a token
 * miss, so a credential kept elsewhere (getCredential's LRU) can be dropped and rebuilt in between.
 */
export class SharedTokenCredential implements TokenCredential {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly inflight = new Map<string, Promise<AccessToken | null>>();
  private readonly innerCredential: () => TokenCredential;
  constructor(
    inner: TokenCredential | (() => TokenCredential),
    private readonly now: () => number = Date.now,
    /** Renew this long before expiry, so a token never expires mid-run. */
    private readonly marginMs = 5 * 60 * 1000,
  ) {
    this.innerCredential = typeof inner === "function" ? inner : () => inner;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
    const cached = this.tokens.get(key);
    if (cached) {
      if (cached.expiresOnTimestamp - this.marginMs > this.now()) return cached;
      // Expired (or about to): it is never served again, so it is not kept either.
      this.tokens.delete(key);
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      // The promise is made before the inflight entry is set; a synchronous throw from the
      // factory (a missing setting) rejects it instead of escaping with the entry half-made.
      pending = Promise.resolve()
        .then(() => this.innerCredential().getToken(scopes, options))
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const token = await pending;
    if (token) this.tokens.set(key, token);
    return token;
  }
}

/**
 * Heavy credentials (one MSAL app each) kept at a time. A credential is used only while a token
 * request is on its way, and a tenant asks for a token about once an hour, so this needs to
 * cover the tenants whose token requests overlap (the checks in flight: 50 in the benchmark,
 * the Functions host's queue batch), not the estate: 128 is ~2.7 MB at most.
 */
const INNER_CREDENTIAL_CAP = 128;

/**
 * Tenants whose SharedTokenCredential (and tokens, ~2 KB each) is kept. Generous, so that a
 * large estate's tokens survive from one run to the next; only a process serving more tenants
 * than this loses tokens (it then asks for one token per check, as without the cache).
 */
const SHARED_CREDENTIAL_CAP = 20_000;

/** Builds a tenant's (heavy) credential: createCredential, or a fake in tests. */
export type CredentialFactory = (tenantId: string, auth: GraphAuthSettings, deps: CredentialDeps) => TokenCredential;

/**
 * Credentials per (tenant, auth settings): a SharedTokenCredential per tenant (an LRU of
 * `sharedCap`), whose inner credential comes from an LRU of `innerCap` and is rebuilt when it
 * was evicted. getCredential uses one per process.
 */
export class CredentialCache {
  private readonly inner: LruMap<string, TokenCredential>;
  private readonly shared: LruMap<string, SharedTokenCredential>;
  constructor(
    private readonly make: CredentialFactory = createCredential,
    innerCap: number = INNER_CREDENTIAL_CAP,
    sharedCap: number = SHARED_CREDENTIAL_CAP,
    private readonly now: () => number = Date.now,
  ) {
    this.inner = new LruMap(innerCap);
    this.shared = new LruMap(sharedCap);
  }

  get(tenantId: string, auth: GraphAuthSettings, deps: CredentialDeps = {}): SharedTokenCredential {
    // A rotated secret or token must give a new credential; it enters the key only as a digest.
    const secret = createHash("sha256")
      .update(`${auth.clientSecret ?? ""}|${auth.accessToken ?? ""}|${auth.certificatePassword ?? ""}`)
      .digest("hex");
    const key = JSON.stringify([
      tenantId.toLowerCase(),
      auth.mode,
      auth.clientId ?? "",
      auth.authorityHost,
      auth.certificatePath ?? "",
      auth.managedIdentityClientId ?? "",
      secret,
    ]);
    let credential = this.shared.get(key);
    if (!credential) {
      const make = (): TokenCredential => this.make(tenantId, auth, deps);
      // Built now, not at the first token request, so a missing setting throws here as before.
      this.inner.set(key, make());
      credential = new SharedTokenCredential(() => this.inner.getOrSet(key, make), this.now);
      this.shared.set(key, credential);
    }
    return credential;
  }

  /** How many of each are held now. */
  sizes(): { readonly shared: number; readonly inner: number } {
    return { shared: this.shared.size, inner: this.inner.size };
  }

  clear(): void {
    this.shared.clear();
    this.inner.clear();
  }
}

const cache = new CredentialCache();

/** The tenant's credential, made once per (tenant, auth settings) and reused. */
export function getCredential(tenantId: string, auth: GraphAuthSettings, deps: CredentialDeps = {}): TokenCredential {
  return cache.get(tenantId, auth, deps);
}

/** How many credentials the process holds now (the benchmark reports it). */
export function credentialCacheSizes(): { readonly shared: number; readonly inner: number } {
  return cache.sizes();
}

/** Forgets cached credentials (tests; a rotated secret). */
export function clearCredentialCache(): void {
  cache.clear();
  managedIdentities.clear();
}
