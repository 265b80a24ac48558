/**
 * A person's sign-in as @azure/identity's DeviceCodeCredential (MSAL) performs it, for a partner's
 * admin agent: `POST /{tenant}/oauth2/v2.0/devicecode`, then the token endpoint's `device_code`
 * grant, then `refresh_token` grants for other tenants (each customer, through GDAP). Shapes after
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code and
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token.
 * The sim approves every code at once as the partner's first admin agent; codes and refresh tokens
 * carry who signed in (base64url JSON), so nothing is stored.
 */
import type { JsonObject, PartnerData, SimResponse } from "../types.js";
import { mintToken } from "../tokens.js";

interface Subject {
  home: string;
  user: string;
}

const HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store, no-cache" };
const encode = (s: Subject): string => Buffer.from(JSON.stringify(s), "utf8").toString("base64url");

function decode(raw: string | null): Subject | undefined {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof v === "object" && v !== null && typeof (v as Subject).home === "string" && typeof (v as Subject).user === "string") return v as Subject;
  } catch {
    // not one of the sim's
  }
  return undefined;
}

const b64url = (v: JsonObject): string => Buffer.from(JSON.stringify(v), "utf8").toString("base64url");

/** `POST /{partner}/oauth2/v2.0/devicecode`: a code the sim regards as approved by the partner's first admin agent. */
export function deviceCodeResponse(partner: PartnerData, baseUrl: string): SimResponse {
  const device_code = encode({ home: partner.tenantId.toLowerCase(), user: partner.adminAgents[0]!.toLowerCase() });
  return {
    status: 200,
    headers: HEADERS,
    body: {
      user_code: "SIMCODE1",
      device_code,
      verification_uri: `${baseUrl}/devicelogin`,
      expires_in: 900,
      interval: 1,
      message: `To sign in, use a web browser to open the page ${baseUrl}/devicelogin and enter the code SIMCODE1 to authenticate.`,
    },
  };
}

/** The token answer for a `device_code` or `refresh_token` grant to `tenantId`; undefined for other grants or codes not the sim's. */
export function delegatedGrant(tenantId: string, form: URLSearchParams, clientId: string, now: Date, baseUrl: string): SimResponse | undefined {
  const grant = form.get("grant_type");
  const subject =
    // MSAL sends the short `device_code`; the protocol page documents the URN form.
    grant === "urn:ietf:params:oauth:grant-type:device_code" || grant === "device_code"
      ? decode(form.get("device_code"))
      : grant === "refresh_token"
        ? decode(form.get("refresh_token"))
        : undefined;
  if (!subject) return undefined;
  const tid = tenantId.toLowerCase();
  const iat = Math.floor(now.getTime() / 1000);
  const idToken = [
    b64url({ typ: "JWT", alg: "RS256" }),
    b64url({
      aud: clientId,
      iss: `${baseUrl}/${tid}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + 3600,
      oid: subject.user,
      sub: subject.user,
      tid,
      ver: "2.0",
      preferred_username: `admin-agent@${subject.home}.example`,
      name: "Partner admin agent",
    }),
    Buffer.from("sim").toString("base64url"),
  ].join(".");
  return {
    status: 200,
    headers: HEADERS,
    body: {
      token_type: "Bearer",
      scope: "https://graph.microsoft.com/.default",
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: mintToken(tid, { appId: clientId, now, delegated: { homeTenantId: subject.home, userId: subject.user } }),
      refresh_token: encode(subject),
      id_token: idToken,
      client_info: b64url({ uid: subject.user, utid: subject.home }),
    },
  };
}
