/**
 * A Graph client whose last middleware answers from a function instead of the network, for
 * unit tests of the batch runner and the collector. Records every request it served.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { Client } from "@microsoft/microsoft-graph-client";

interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

export interface SubAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

type Responder = (req: SeenRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

export function fakeClient(respond: Responder): { client: Client; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const terminal: Middleware = {
    async execute(context: Context): Promise<void> {
      const url = typeof context.request === "string" ? context.request : context.request.url;
      const method = context.options?.method ?? "GET";
      const raw = context.options?.body;
      const body: unknown = typeof raw === "string" ? JSON.parse(raw) : undefined;
      const req = { method, url, body };
      seen.push(req);
      const a = respond(req);
      context.response = new Response(a.body === undefined ? null : JSON.stringify(a.body), {
        status: a.status,
        headers: { "content-type": "application/json", ...(a.headers ?? {}) },
      });
    },
  };
  return { client: Client.initWithMiddleware({ middleware: terminal, baseUrl: "https://graph.test" }), seen };
}

interface BatchRequestBody {
  requests: Array<{ id: string; method: string; url: string }>;
}

/** A responder for `$batch` that answers each sub-request with `answer(version, url, id)`. */
export function batchResponder(answer: (version: string, url: string, id: string) => SubAnswer, other?: Responder): Responder {
  return (req) => {
    const m = /^https:\/\/graph\.test\/(v1\.0|beta)\/\$batch$/.exec(req.url);
    if (!m || req.method !== "POST") {
      if (other) return other(req);
      return { status: 404, body: { error: { code: "NotFound", message: req.url } } };
    }
    const version = m[1] ?? "";
    const body = req.body as BatchRequestBody;
    return {
      status: 200,
      body: { responses: body.requests.map((r) => ({ id: r.id, ...answer(version, r.url, r.id) })) },
    };
  };
}

export const USER_ID = "22222222-2222-4222-8222-222222222222";
export const user = {
  id: USER_ID,
  userPrincipalName: "o'neil@contoso.com",
  displayName: "O'Neil",
  accountEnabled: true,
  onPremisesSyncEnabled: null,
  userType: "Member",
};

/** A healthy tenant, answer by path. */
export function healthy(version: string, url: string): SubAnswer {
  const path = decodeURIComponent(url.split("?")[0] ?? "");
  if (version === "beta" && path.endsWith("/authentication/requirements")) return { status: 200, body: { perUserMfaState: "disabled" } };
  if (version === "beta" && path === "/auditLogs/signIns") return { status: 200, body: { value: [] } };
  if (path.endsWith("/transitiveMemberOf")) return { status: 200, body: { value: [] } };
  if (path.startsWith("/roleManagement/")) return { status: 200, body: { value: [] } };
  if (path === "/identity/conditionalAccess/policies") return { status: 200, body: { value: [] } };
  if (path === "/identity/conditionalAccess/namedLocations") return { status: 200, body: { value: [] } };
  if (path === "/policies/identitySecurityDefaultsEnforcementPolicy") return { status: 200, body: { isEnabled: false } };
  if (path.endsWith("/authentication/methods"))
    return { status: 200, body: { value: [{ "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" }] } };
  if (path.startsWith("/reports/"))
    return { status: 200, body: { isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], lastUpdatedDateTime: null } };
  if (path === "/policies/authenticationMethodsPolicy")
    return {
      status: 200,
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: { state: "disabled", snoozeDurationInDays: 0, includeTargets: [], excludeTargets: [] },
        },
      },
    };
  if (path === "/domains") return { status: 200, body: { value: [{ id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: 90 }] } };
  if (path.startsWith("/users(") || /^\/users\/[0-9a-f-]{36}$/.test(path)) return { status: 200, body: user };
  return { status: 404, body: { error: { code: "NotFound", message: path } } };
}
