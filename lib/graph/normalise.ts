/**
 * From Graph's JSON (already fetched) to the model's facts: parse with the schemas, drop the
 * `@odata` noise, derive what the rules want (method type from `@odata.type`, safe labels,
 * sign-ins newest first). Pure; a shape problem is returned, never thrown.
 */
import type { z } from "zod";
import type {
  AccountFact,
  AuthMethodFact,
  CaPolicy,
  MembershipFact,
  PerUserMfaFact,
  RegistrationCampaignFact,
  RegistrationDetailsFact,
  RoleAssignmentFact,
  SecurityDefaultsFact,
  SignInFact,
} from "../model/facts.js";
import {
  authMethodSchema,
  authMethodsPolicySchema,
  caPolicySchema,
  describeIssue,
  directoryObjectSchema,
  perUserMfaSchema,
  registrationDetailsSchema,
  roleAssignmentSchema,
  securityDefaultsSchema,
  signInSchema,
  userSchema,
} from "./schemas.js";

export type Normalised<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

function parse<S extends z.ZodType>(schema: S, data: unknown, where = ""): Normalised<z.output<S>> {
  const r = schema.safeParse(data);
  return r.success ? { ok: true, value: r.data } : { ok: false, problem: `${where}${describeIssue(r.error)}` };
}

function parseList<S extends z.ZodType>(schema: S, values: readonly unknown[]): Normalised<Array<z.output<S>>> {
  const out: Array<z.output<S>> = [];
  for (const [i, v] of values.entries()) {
    const r = parse(schema, v, `value[${i}].`);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

function map<T, U>(n: Normalised<T>, f: (t: T) => U): Normalised<U> {
  return n.ok ? { ok: true, value: f(n.value) } : n;
}

export function toAccount(body: unknown): Normalised<AccountFact> {
  return map(parse(userSchema, body), (u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    accountEnabled: u.accountEnabled,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    userType: u.userType,
  }));
}

const GROUP = "#microsoft.graph.group";
const DIRECTORY_ROLE = "#microsoft.graph.directoryRole";

export function toMembership(values: readonly unknown[]): Normalised<MembershipFact> {
  return map(parseList(directoryObjectSchema, values), (objects) => {
    const groups: MembershipFact["groups"][number][] = [];
    const roles: MembershipFact["roles"][number][] = [];
    for (const o of objects) {
      const type = o["@odata.type"];
      // Graph types every entry of this polymorphic collection; without a type, a roleTemplateId
      // is what only a directoryRole has. Other types (administrative units) are not membership
      // the rules use.
      if (type === DIRECTORY_ROLE || (type === undefined && o.roleTemplateId)) {
        if (o.roleTemplateId) roles.push({ id: o.id, displayName: o.displayName, roleTemplateId: o.roleTemplateId });
      } else if (type === GROUP || type === undefined) {
        groups.push({ id: o.id, displayName: o.displayName });
      }
    }
    return { groups, roles };
  });
}

export function toRoleAssignments(values: readonly unknown[]): Normalised<RoleAssignmentFact[]> {
  return map(parseList(roleAssignmentSchema, values), (list) =>
    list.map((a) => ({ id: a.id, roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, directoryScopeId: a.directoryScopeId })),
  );
}

/** Drops OData annotations (`@odata.type`, `x@odata.type`, …) at every depth; keeps every other field. */
export function stripODataAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripODataAnnotations);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("@odata.")) continue;
    out[k] = stripODataAnnotations(v);
  }
  return out;
}

export function toCaPolicies(values: readonly unknown[]): Normalised<CaPolicy[]> {
  return parseList(caPolicySchema, values.map(stripODataAnnotations));
}

export function toSecurityDefaults(body: unknown): Normalised<SecurityDefaultsFact> {
  return map(parse(securityDefaultsSchema, body), (p) => ({ isEnabled: p.isEnabled }));
}

export function toPerUserMfa(body: unknown): Normalised<PerUserMfaFact> {
  return map(parse(perUserMfaSchema, body), (p) => ({ perUserMfaState: p.perUserMfaState }));
}

const METHOD_PREFIX = "#microsoft.graph.";

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length >= 2 ? `ending ${digits.slice(-2)}` : "number hidden";
}

function maskEmail(email: string): string {
  const at = email.indexOf("@");
  if (at <= 0) return "address hidden";
  return `${email.charAt(0)}***${email.slice(at)}`;
}

/** A label a person recognises, never a secret: names and models as-is, phone numbers and emails masked. */
function methodLabel(m: z.output<typeof authMethodSchema>): string | null {
  if (m.displayName) return m.displayName;
  if (m.phoneNumber) return `${m.phoneType ?? "phone"} ${maskPhone(m.phoneNumber)}`;
  if (m.emailAddress) return maskEmail(m.emailAddress);
  if (m.model) return m.model;
  if (m.device?.displayName) return m.device.displayName;
  return null;
}

export function toAuthMethods(values: readonly unknown[]): Normalised<AuthMethodFact[]> {
  return map(parseList(authMethodSchema, values), (list) =>
    list.map((m) => {
      const odataType = m["@odata.type"] ?? "";
      const type = odataType.startsWith(METHOD_PREFIX) ? odataType.slice(METHOD_PREFIX.length) : odataType || "authenticationMethod";
      return { id: m.id, type, label: methodLabel(m) };
    }),
  );
}

export function toRegistrationDetails(body: unknown): Normalised<RegistrationDetailsFact> {
  // Microsoft's documented example wraps the entity in `value`; the service answers it bare.
  const inner = typeof body === "object" && body !== null && !("isMfaRegistered" in body) && "value" in body ? (body as { value: unknown }).value : body;
  return map(parse(registrationDetailsSchema, inner), (d) => ({
    isMfaRegistered: d.isMfaRegistered,
    isMfaCapable: d.isMfaCapable,
    methodsRegistered: d.methodsRegistered,
    lastUpdatedDateTime: d.lastUpdatedDateTime,
  }));
}

export function toRegistrationCampaign(body: unknown): Normalised<RegistrationCampaignFact> {
  return map(parse(authMethodsPolicySchema, body), (p) => {
    const c = p.registrationEnforcement.authenticationMethodsRegistrationCampaign;
    return {
      state: c.state,
      snoozeDurationInDays: c.snoozeDurationInDays ?? null,
      includeTargets: (c.includeTargets ?? []).map((t) => ({ id: t.id, targetType: t.targetType })),
      excludeTargets: (c.excludeTargets ?? []).map((t) => ({ id: t.id, targetType: t.targetType })),
    };
  });
}

/** Sign-ins read from one or more lists (interactive, non-interactive): each once, newest first. */
export function toSignIns(values: readonly unknown[]): Normalised<SignInFact[]> {
  return map(parseList(signInSchema, values), (list) => {
    const seen = new Set<string>();
    return list
      .filter((s) => !seen.has(s.id) && seen.add(s.id) !== undefined)
      .map((s) => ({
        id: s.id,
        createdDateTime: s.createdDateTime,
        appDisplayName: s.appDisplayName,
        appId: s.appId,
        resourceDisplayName: s.resourceDisplayName,
        ipAddress: s.ipAddress,
        errorCode: s.status?.errorCode ?? 0,
        failureReason: s.status?.failureReason ?? null,
        conditionalAccessStatus: s.conditionalAccessStatus,
        isInteractive: s.isInteractive,
      }))
      // Newest first; ISO-8601 instants in UTC compare as numbers once parsed.
      .sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  });
}
