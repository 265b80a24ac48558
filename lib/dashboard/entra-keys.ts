/**
 * Verifies the signature of an ID token against the keys Entra publishes for the tenant: the
 * tenant's OpenID configuration (`{issuer}/.well-known/openid-configuration`) names its
 * `jwks_uri`, and `jose` reads and caches that key set (a token naming an unknown key id refetches
 * it, at most every 30 s). Every request has a timeout. The authority is a setting
 * (AZURE_AUTHORITY_HOST), so tests verify against the simulator's keys (sim/sign-in.ts).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { errorText } from "../errors/text.js";
import { CLOCK_SKEW_SECONDS, entraIssuer } from "./id-token.js";

export type IdTokenCheck =
  | { readonly ok: true; readonly claims: JWTPayload }
  /** `unavailable`: the keys could not be read, so nothing can be said of the token (503, not 401). */
  | { readonly ok: false; readonly unavailable: boolean; readonly why: string };

export type VerifyIdToken = (token: string) => Promise<IdTokenCheck>;

interface VerifierOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  /** The clock the token's times are compared with. */
  readonly now: () => Date;
  /** Per request to Entra; default 5 s. */
  readonly timeoutMs?: number;
}

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url({ protocol: /^https$/, error: "jwks_uri must be an https URL" }) });

/** Entra signs ID tokens with RS256 only; naming the algorithm refuses `none` and any key confusion. */
const ALGORITHMS = ["RS256"];

export function entraIdTokenVerifier(options: VerifierOptions): VerifyIdToken {
  const issuer = entraIssuer(options.authorityHost, options.tenantId);
  const timeoutMs = options.timeoutMs ?? 5_000;
  let keys: Promise<JWTVerifyGetKey> | undefined;

  async function discover(): Promise<JWTVerifyGetKey> {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`the tenant's OpenID configuration answered HTTP ${response.status}`);
    const doc = discoverySchema.parse(await response.json());
    if (doc.issuer !== issuer) throw new Error(`the OpenID configuration names the issuer ${doc.issuer}, not ${issuer}`);
    return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: timeoutMs, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  }

  return async (token) => {
    let getKey: JWTVerifyGetKey;
    try {
      // One discovery per process; a failed one is tried again by the next request.
      getKey = await (keys ??= discover().catch((error: unknown) => {
        keys = undefined;
        throw error;
      }));
    } catch (error) {
      return { ok: false, unavailable: true, why: `Entra's signing keys could not be read: ${errorText(error)}` };
    }
    // A key set that cannot be read says nothing of the token (503); a key id it lacks is the token's fault (401).
    let keysFailed = false;
    const key: JWTVerifyGetKey = async (header, jws) => {
      try {
        return await getKey(header, jws);
      } catch (error) {
        keysFailed = !(error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys);
        throw error;
      }
    };
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ALGORITHMS, currentDate: options.now(), clockTolerance: CLOCK_SKEW_SECONDS });
      return { ok: true, claims: payload };
    } catch (error) {
      if (keysFailed) return { ok: false, unavailable: true, why: `Entra's signing keys could not be read: ${errorText(error)}` };
      return { ok: false, unavailable: false, why: `the ID token was refused: ${errorText(error)}` };
    }
  };
}
