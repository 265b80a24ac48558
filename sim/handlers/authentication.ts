/** Per-user MFA (beta), authentication methods, the registration report and sign-ins. */
import type { JsonObject, SimSignIn, TenantData, GraphUser } from "../types.js";
import type { Handler } from "./context.js";
import { contextUrl, pageOf } from "./context.js";
import { findUser, userNotFound, transitiveGroups, activeRoles } from "./users.js";
import { applySelect, parseFilterExpression, parseSelect, type FilterNode } from "../odata.js";
import { badRequest, ok } from "../errors.js";
import { REGISTRATION_DETAILS_BETA_ONLY, servedOn } from "./versions.js";

const PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";

/** Every user has a password; that is the only method unless the tenant data says otherwise. */
function methodsOf(tenant: TenantData, userId: string): JsonObject[] {
  return (
    tenant.authenticationMethods[userId] ?? [
      { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: PASSWORD_METHOD_ID, password: null, createdDateTime: null },
    ]
  );
}

export const getPerUserMfa: Handler = (ctx, [ref]) => {
  const user = findUser(ctx.tenant, ref!);
  if (!user) return userNotFound(ref!);
  return ok({
    "@odata.context": contextUrl(ctx, `users('${user.id}')/authentication/requirements/$entity`),
    perUserMfaState: ctx.tenant.perUserMfa[user.id] ?? "disabled",
  });
};

export const listAuthMethods: Handler = (ctx, [ref]) => {
  const user = findUser(ctx.tenant, ref!);
  if (!user) return userNotFound(ref!);
  return pageOf(ctx, methodsOf(ctx.tenant, user.id), 100, 100, `users('${user.id}')/authentication/methods`);
};

/** methodsRegistered names of the report, by the method's @odata.type. */
const REPORT_NAMES: Record<string, string> = {
  microsoftAuthenticatorAuthenticationMethod: "microsoftAuthenticatorPush",
  softwareOathAuthenticationMethod: "softwareOneTimePasscode",
  fido2AuthenticationMethod: "fido2SecurityKey",
  windowsHelloForBusinessAuthenticationMethod: "windowsHelloForBusiness",
  emailAuthenticationMethod: "email",
  temporaryAccessPassAuthenticationMethod: "temporaryAccessPass",
  platformCredentialAuthenticationMethod: "macOsSecureEnclaveKey",
};
const NOT_MFA = new Set(["email", "temporaryAccessPass"]);

function reportNameOf(method: JsonObject): string | undefined {
  const type = String(method["@odata.type"] ?? "").replace("#microsoft.graph.", "");
  if (type === "phoneAuthenticationMethod") {
    return method.phoneType === "office" ? "officePhone" : method.phoneType === "alternateMobile" ? "alternateMobilePhone" : "mobilePhone";
  }
  return REPORT_NAMES[type];
}

/** The registration report as Graph would compute it from the user's methods. */
function deriveRegistrationDetails(tenant: TenantData, user: GraphUser): JsonObject {
  const registered = methodsOf(tenant, user.id)
    .map(reportNameOf)
    .filter((n): n is string => n !== undefined);
  const mfa = registered.filter((n) => !NOT_MFA.has(n));
  const isAdmin = activeRoles(tenant, user.id, transitiveGroups(tenant, user.id)).length > 0;
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: (user.displayName as string | undefined) ?? null,
    userType: user.userType === "Guest" ? "guest" : "member",
    isAdmin,
    isSsprRegistered: false,
    isSsprEnabled: false,
    isSsprCapable: false,
    isMfaRegistered: mfa.length > 0,
    isMfaCapable: mfa.length > 0,
    isPasswordlessCapable: registered.some((n) => n === "fido2SecurityKey" || n === "windowsHelloForBusiness"),
    methodsRegistered: registered,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: mfa.length > 0 ? ["push"] : [],
    userPreferredMethodForSecondaryAuthentication: mfa.length > 0 ? "push" : "none",
    defaultMfaMethod: mfa[0] ?? "none",
    // Fixed, so repeated checks see identical evidence.
    lastUpdatedDateTime: "2026-01-05T08:30:00Z",
  };
}

export const getRegistrationDetails: Handler = (ctx, [ref]) => {
  const user = findUser(ctx.tenant, ref!);
  if (!user) return userNotFound(ref!);
  const details = ctx.tenant.userRegistrationDetails[user.id] ?? deriveRegistrationDetails(ctx.tenant, user);
  return ok({
    "@odata.context": contextUrl(ctx, "reports/authenticationMethods/userRegistrationDetails/$entity"),
    ...servedOn(ctx.version, details, REGISTRATION_DETAILS_BETA_ONLY),
  });
};

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A sign-in with its time made absolute against the sim's clock. */
function materialize(signIn: SimSignIn, now: Date): JsonObject {
  const { minutesAgo, ...rest } = signIn;
  const created = rest.createdDateTime ?? isoSeconds(new Date(now.getTime() - (minutesAgo ?? 0) * 60_000));
  return { ...rest, createdDateTime: created };
}

/**
 * The string properties signIn documents `$filter (eq)` on (learn.microsoft.com/graph/api/resources/signin):
 * `userId` takes `eq` only, so several accounts are named as `userId eq 'a' or userId eq 'b'`; `in`,
 * `ne` and `not` on them are refused. Paths are `/`-separated (`location/countryOrRegion`).
 */
const STRING_FIELDS = [
  "userId",
  "userPrincipalName",
  "userDisplayName",
  "appId",
  "appDisplayName",
  "id",
  "correlationId",
  "ipAddress",
  "conditionalAccessStatus",
  "clientAppUsed",
  "resourceId",
  "location/city",
  "location/state",
  "location/countryOrRegion",
];

/** Graph's answer to a sign-in filter it does not support: a 400 with this message and nothing more. */
const INVALID_SIGN_IN_FILTER = "Invalid filter clause";

function valueAt(s: JsonObject, path: string): unknown {
  let v: unknown = s;
  for (const part of path.split("/")) v = v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject)[part] : undefined;
  return v;
}
/** The sign-in event types the beta List signIns can be filtered on. */
const EVENT_TYPES = ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"];

type SignInPredicate = (s: JsonObject) => boolean;

/** A sign-in's event types: as stored, else derived from `isInteractive`. */
function eventTypesOf(s: JsonObject): string[] {
  const types = s.signInEventTypes;
  if (Array.isArray(types)) return types.filter((t): t is string => typeof t === "string");
  return [s.isInteractive === false ? "nonInteractiveUser" : "interactiveUser"];
}

/**
 * Whether the filter names the event types (anywhere, one type or several): without it, beta lists
 * interactive sign-ins only; with it, exactly the types the lambda names.
 */
function namesEventTypes(node: FilterNode): boolean {
  if (node.kind === "any") return node.collection === "signInEventTypes";
  if (node.kind === "and" || node.kind === "or") return node.items.some(namesEventTypes);
  return false;
}

/** The filter as a predicate over sign-ins, or null when it uses something the sim (and Graph) refuses. */
function compileSignInFilter(node: FilterNode, version: string): SignInPredicate | null {
  switch (node.kind) {
    case "and":
    case "or": {
      const parts = node.items.map((n) => compileSignInFilter(n, version));
      if (parts.some((p) => p === null)) return null;
      const ps = parts as SignInPredicate[];
      return node.kind === "and" ? (s) => ps.every((p) => p(s)) : (s) => ps.some((p) => p(s));
    }
    case "any": {
      // v1.0's signIn has no signInEventTypes.
      if (node.collection !== "signInEventTypes" || version !== "beta") return null;
      const test = compileEventTypeTest(node.body, node.variable);
      return test ? (s) => eventTypesOf(s).some(test) : null;
    }
    case "cmp": {
      const c = node;
      if (STRING_FIELDS.includes(c.field) && c.op === "eq" && c.quoted) {
        return (s) => String(valueAt(s, c.field) ?? "").toLowerCase() === c.value.toLowerCase();
      }
      if (c.field === "createdDateTime" && !c.quoted && c.op !== "eq" && c.op !== "ne") {
        const t = Date.parse(c.value);
        return Number.isNaN(t) ? null : (s) => compare(Date.parse(String(s.createdDateTime)), c.op, t);
      }
      if (c.field === "status/errorCode" && (c.op === "eq" || c.op === "ne") && !c.quoted && /^\d+$/.test(c.value)) {
        const code = Number(c.value);
        return c.op === "eq" ? (s) => statusCode(s) === code : (s) => statusCode(s) !== code;
      }
      return null;
    }
  }
}

/**
 * The lambda's body, on the lambda variable: one type (`t eq 'nonInteractiveUser'`, older clients)
 * or several joined by `or` (`t eq 'interactiveUser' or t eq 'nonInteractiveUser'`, Drift Monitor's
 * one sign-in request): a sign-in matches when any of its types passes, as in Graph.
 */
function compileEventTypeTest(node: FilterNode, variable: string): ((type: string) => boolean) | null {
  if (node.kind === "or") {
    const parts = node.items.map((n) => compileEventTypeTest(n, variable));
    if (parts.some((p) => p === null)) return null;
    return (type) => parts.some((p) => p!(type));
  }
  if (node.kind !== "cmp" || node.field !== variable || !node.quoted || (node.op !== "eq" && node.op !== "ne")) return null;
  if (!EVENT_TYPES.includes(node.value)) return null;
  const value = node.value;
  return node.op === "eq" ? (type) => type === value : (type) => type !== value;
}

export const listSignIns: Handler = (ctx) => {
  let items = ctx.tenant.signIns.map((s) => materialize(s, ctx.now));
  const raw = ctx.query.get("$filter");
  const node = raw === null ? null : parseFilterExpression(raw);
  if (raw !== null) {
    const predicate = node ? compileSignInFilter(node, ctx.version) : null;
    if (!predicate) return badRequest(INVALID_SIGN_IN_FILTER);
    items = items.filter(predicate);
  }
  // Like Graph: interactive sign-ins only, unless a beta filter names the event types
  // (learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta). v1.0 has no other.
  if (!node || !namesEventTypes(node)) items = items.filter((s) => eventTypesOf(s).includes("interactiveUser"));
  items.sort((a, b) => Date.parse(String(b.createdDateTime)) - Date.parse(String(a.createdDateTime)));
  const select = parseSelect(ctx.query);
  return pageOf(
    ctx,
    items.map((s) => applySelect(s, select)),
    1000,
    1000,
    "auditLogs/signIns",
  );
};

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case "ge":
      return a >= b;
    case "gt":
      return a > b;
    case "le":
      return a <= b;
    default:
      return a < b;
  }
}

function statusCode(s: JsonObject): number | undefined {
  const status = s.status;
  if (status && typeof status === "object" && !Array.isArray(status) && typeof status.errorCode === "number") return status.errorCode;
  return undefined;
}
