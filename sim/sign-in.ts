/**
 * A person's sign-in, as far as a relying party can check it: Entra ID's v2.0 ID tokens, signed
 * RS256 with a key only the sim holds and published at `/{tenant}/discovery/v2.0/keys` (the
 * `jwks_uri` of the tenant's OpenID configuration). Unlike the access tokens of tokens.ts, these
 * are meant to be verified: the dashboard's tests check them as Entra's own.
 *
 * The identity endpoints know the estate's tenants; a directory that is not one of them (the
 * operator's own) is known once added, or once someone signed in to it.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import type { JsonObject } from "./types.js";

export interface IdTokenClaims {
  /** The directory the person signed in to (`tid`; the issuer is that tenant's v2.0 issuer). */
  readonly tenantId: string;
  /** The app registration the token was issued to (`aud`). */
  readonly audience: string;
  /** The person's object id (`oid`); default a new one. */
  readonly oid?: string;
  readonly name?: string;
  readonly preferredUsername?: string;
  /** App roles assigned to the person (`roles`); none: the claim is left out, as Entra does. */
  readonly roles?: readonly string[];
  /** Default one hour, as Entra's. */
  readonly lifetimeSeconds?: number;
  /** When the person signed in; default the sim's clock. */
  readonly issuedAt?: Date;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

export class SignInIssuer {
  /** The key id every token names in its header and the key set publishes. */
  readonly kid = "drift-monitor-sim-id-token";
  private key: { readonly privateKey: KeyObject; readonly jwk: JsonObject } | undefined;
  private readonly directories = new Set<string>();

  // Made on first use: most simulators never sign anyone in, and an RSA key takes a moment.
  private signingKey(): { readonly privateKey: KeyObject; readonly jwk: JsonObject } {
    if (!this.key) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const { kty, n, e } = publicKey.export({ format: "jwk" });
      this.key = { privateKey, jwk: { kty: kty ?? "RSA", n: n ?? "", e: e ?? "", kid: this.kid, use: "sig", alg: "RS256" } };
    }
    return this.key;
  }

  /** Makes a directory known to the identity endpoints before anyone signs in to it. */
  addDirectory(tenantId: string): void {
    this.directories.add(tenantId.toLowerCase());
  }

  knowsDirectory(tenantId: string): boolean {
    return this.directories.has(tenantId.toLowerCase());
  }

  /** The key set of `jwks_uri`. */
  jwks(): JsonObject {
    return { keys: [this.signingKey().jwk] };
  }

  /** An ID token as Entra issues it to `claims.audience` after a sign-in; `baseUrl` is the sim's (the issuer's host). */
  mint(baseUrl: string, claims: IdTokenClaims, now: Date): string {
    const tid = claims.tenantId.toLowerCase();
    this.addDirectory(tid);
    const iat = Math.floor((claims.issuedAt ?? now).getTime() / 1000);
    const oid = claims.oid ?? randomUUID();
    const payload = {
      aud: claims.audience,
      iss: `${baseUrl}/${tid}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + (claims.lifetimeSeconds ?? 3600),
      name: claims.name ?? "Sim User",
      oid,
      preferred_username: claims.preferredUsername ?? `user-${oid.slice(0, 8)}@example.com`,
      ...(claims.roles && claims.roles.length > 0 ? { roles: [...claims.roles] } : {}),
      sub: `sub-${oid}`,
      tid,
      ver: "2.0",
    };
    const signed = `${b64url({ typ: "JWT", alg: "RS256", kid: this.kid })}.${b64url(payload)}`;
    const signature = sign("sha256", Buffer.from(signed, "utf8"), this.signingKey().privateKey).toString("base64url");
    return `${signed}.${signature}`;
  }
}
