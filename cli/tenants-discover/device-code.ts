/**
 * The partner administrator's device-code sign-in, with MSAL directly, then a token per customer
 * from the one sign-in's refresh token (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code,
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token).
 *
 * Not @azure/identity's DeviceCodeCredential: once signed in (4.13), its silent request carries
 * the home account and no authority, and MSAL looks the cached token up by the account's tenant
 * (msal-common SilentFlowClient: `request.account.tenantId || authority tenant`), so every
 * customer would get the partner's own token. Nor one MSAL app's silent calls per customer: its
 * in-memory cache is searched whole on every call, and with a token set per tenant that grew to
 * seconds a call at 200 tenants. So each customer's token is redeemed by a short-lived app of its
 * own, and kept here until shortly before it expires.
 */
import { PublicClientApplication, type AuthenticationResult, type Configuration } from "@azure/msal-node";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { registerSecrets } from "../../lib/errors/redact.js";

interface DeviceCodeOptions {
  readonly authorityHost: string;
  readonly partnerTenant: string;
  readonly clientId: string;
  /** Instance discovery asks login.microsoftonline.com about the authority: skipped for any other host (the simulator). */
  readonly disableInstanceDiscovery: boolean;
  readonly prompt: (message: string) => void;
}

interface SignedIn {
  readonly homeTenantId: string;
  readonly refreshToken: string;
  readonly first: AccessToken;
}

/** A token is renewed this long before it expires, so none expires mid-request. */
const MARGIN_MS = 5 * 60 * 1000;

function toAccessToken(r: AuthenticationResult | null): AccessToken {
  if (!r?.accessToken) throw new Error("the sign-in gave no access token");
  return { token: r.accessToken, expiresOnTimestamp: r.expiresOn?.getTime() ?? Date.now() + 60 * 60 * 1000 };
}

/** The refresh token MSAL keeps after a sign-in: the only one in a fresh app's cache. */
function refreshTokenOf(app: PublicClientApplication): string {
  const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken?: Record<string, { secret?: string }> };
  const secret = Object.values(cache.RefreshToken ?? {})[0]?.secret;
  if (!secret) throw new Error("the sign-in gave no refresh token: the customers' tokens cannot be had without signing in to each");
  return secret;
}

export class PartnerDeviceCodeCredential implements TokenCredential {
  private signedIn: Promise<SignedIn> | undefined;
  private readonly tokens = new Map<string, Promise<AccessToken>>();

  constructor(private readonly o: DeviceCodeOptions) {}

  private config(tenantId: string): Configuration {
    const host = this.o.authorityHost.replace(/\/+$/, "");
    return { auth: { clientId: this.o.clientId, authority: `${host}/${tenantId}`, ...(this.o.disableInstanceDiscovery ? { knownAuthorities: [host] } : {}) } };
  }

  private signIn(scopes: string[], signal: GetTokenOptions["abortSignal"]): Promise<SignedIn> {
    this.signedIn ??= (async () => {
      const app = new PublicClientApplication(this.config(this.o.partnerTenant));
      const request = { scopes, deviceCodeCallback: (r: { message: string }) => this.o.prompt(r.message), cancel: false };
      // MSAL polls until the person signs in or the code expires; the caller's signal stops it sooner.
      signal?.addEventListener("abort", () => (request.cancel = true));
      const result = await app.acquireTokenByDeviceCode(request);
      if (!result?.account) throw new Error("the device code sign-in gave no account");
      const refreshToken = refreshTokenOf(app);
      registerSecrets([refreshToken, result.accessToken]);
      return { homeTenantId: result.account.tenantId.toLowerCase(), refreshToken, first: toAccessToken(result) };
    })();
    return this.signedIn;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    const session = await this.signIn(list, options?.abortSignal);
    const tenantId = (options?.tenantId ?? session.homeTenantId).toLowerCase();
    if (tenantId === session.homeTenantId && session.first.expiresOnTimestamp - MARGIN_MS > Date.now()) return session.first;
    const key = `${tenantId} ${list.join(" ")}`;
    let pending = this.tokens.get(key);
    if (pending) {
      const held = await pending.catch(() => undefined);
      if (held && held.expiresOnTimestamp - MARGIN_MS > Date.now()) return held;
    }
    pending = new PublicClientApplication(this.config(tenantId))
      .acquireTokenByRefreshToken({ refreshToken: session.refreshToken, scopes: list })
      .then(toAccessToken);
    this.tokens.set(key, pending);
    // A failed one is not kept: the next request for the tenant tries again.
    pending.catch(() => this.tokens.delete(key));
    return pending;
  }
}
