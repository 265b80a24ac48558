/**
 * Access tokens. The sim mints unsigned-in-spirit JWTs (a fixed fake signature) and reads the
 * `tid` claim back to pick the tenant; the signature is never checked because nothing but the
 * sim ever trusts these tokens.
 */
import { randomUUID } from "node:crypto";
import { SIM_GRANTED_PERMISSIONS } from "./handlers/service-principals.js";

/** The application id the sim puts in its tokens (any client id is accepted). */
const SIM_APP_ID = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";

function b64url(value: string): string {
  return Buffer.from(value, "utf8").toString("base64url");
}

interface MintOptions {
  /** Token lifetime; default one hour like Entra. */
  lifetimeSeconds?: number;
  appId?: string;
  /** Issue time; default now. */
  now?: Date;
  /**
   * A person's delegated token instead of an app's: `userId` of `homeTenantId`. When the home
   * tenant is not the token's tenant (a partner's admin agent in a customer, through GDAP), the
   * home tenant's issuer goes in `idp`, as Entra writes it for a user from another tenant.
   */
  delegated?: { homeTenantId: string; userId: string };
  /** An app token's `roles` claim: the permissions granted in the tenant (default: the sim's consented set). */
  roles?: readonly string[];
}

export function mintToken(tenantId: string, options: MintOptions = {}): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tid = tenantId.toLowerCase();
  const header = { typ: "JWT", alg: "RS256", kid: "drift-monitor-sim" };
  const common = {
    aud: "https://graph.microsoft.com",
    iss: `https://sts.windows.net/${tid}/`,
    iat,
    nbf: iat,
    exp: iat + (options.lifetimeSeconds ?? 3600),
    appid: options.appId ?? SIM_APP_ID,
    tid,
    ver: "1.0",
  };
  const home = options.delegated?.homeTenantId.toLowerCase();
  const payload = options.delegated
    ? {
        ...common,
        idtyp: "user",
        oid: options.delegated.userId.toLowerCase(),
        scp: "DelegatedAdminRelationship.Read.All User.Read.All RoleManagement.Read.Directory",
        ...(home !== tid ? { idp: `https://sts.windows.net/${home}/` } : {}),
      }
    : { ...common, idtyp: "app", oid: randomUUID(), roles: options.roles ?? SIM_GRANTED_PERMISSIONS };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${b64url("drift-monitor-sim-signature")}`;
}

/** The claims of the token in an `Authorization: Bearer <jwt>` header, or undefined when there is none readable. */
export function claimsOf(header: string | undefined): Record<string, unknown> | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `appid` claim: which app registration's token it is (undefined for none). */
export function appIdFromAuthorization(header: string | undefined): string | undefined {
  const appid = claimsOf(header)?.appid;
  return typeof appid === "string" ? appid : undefined;
}

/** The `roles` claim of an app token in an `Authorization: Bearer <jwt>` header: the application permissions it carries ([] for none, or a person's token). */
export function rolesFromAuthorization(header: string | undefined): readonly string[] {
  const roles = claimsOf(header)?.roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
}

/** The tenant id from an `Authorization: Bearer <jwt>` header, or why there is none. */
export function tenantFromAuthorization(header: string | undefined): { tenantId: string } | { error: string } {
  if (!header) return { error: "Access token is empty." };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { error: "Access token is empty." };
  const parts = match[1]!.split(".");
  if (parts.length !== 3) return { error: "IDX14100: JWT is not well formed, there are no dots (.)." };
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    if (typeof payload === "object" && payload !== null && "tid" in payload && typeof payload.tid === "string") {
      return { tenantId: payload.tid.toLowerCase() };
    }
    return { error: "Access token has no tenant (tid) claim." };
  } catch {
    return { error: "IDX14102: Unable to decode the payload of the token." };
  }
}
