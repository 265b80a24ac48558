/**
 * Emergency-access ("break-glass") accounts as Microsoft's guidance describes them
 * (learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access): cloud-only,
 * a permanently active Global Administrator assignment, phishing-resistant methods (a FIDO2 security
 * key or passkey, Windows Hello for Business), excluded from Conditional Access through the groups the
 * tenant's policies exclude, a password that does not expire, and no sign-ins, since they should never
 * be used. A spec leaves one of these out to make a finding, and gives the sign-ins that did happen.
 *
 * Wire shapes: fido2AuthenticationMethod, windowsHelloForBusinessAuthenticationMethod,
 * passwordAuthenticationMethod and signIn (beta) as Microsoft Graph's reference pages list them.
 */
import type { GraphRoleAssignment, GraphUser, JsonObject, SimSignIn } from "../types.js";
import { stableGuid } from "./ids.js";

/** The parts of a tenant file (./load.ts) the accounts are added to. */
interface AccountsTarget {
  tenantId: string;
  users: GraphUser[];
  roleAssignments?: GraphRoleAssignment[];
  groupMembers?: Record<string, string[]>;
  authenticationMethods?: Record<string, JsonObject[]>;
  signIns?: SimSignIn[];
}

const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
const PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
/** The AAGUIDs of a YubiKey 5 NFC and of a passkey in Microsoft Authenticator (iOS). */
const YUBIKEY_AAGUID = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const AUTHENTICATOR_PASSKEY_AAGUID = "90a3ccdf-635c-4729-a248-9b709135078f";

/** `fido2`: a security key; `passkey`: a passkey in Microsoft Authenticator; `windowsHello`: Windows Hello for Business. */
export type PhishingResistantMethod = "fido2" | "passkey" | "windowsHello";

/** One sign-in of the account: where from, with what, and how it ended (errorCode 0 = success). */
export interface EmergencySignInSpec {
  readonly minutesAgo: number;
  readonly errorCode?: number;
  readonly failureReason?: string;
  /** Default true: someone typed the credentials in. */
  readonly interactive?: boolean;
  readonly ipAddress?: string;
  readonly city?: string;
  readonly state?: string;
  readonly countryOrRegion?: string;
  readonly appId?: string;
  readonly appDisplayName?: string;
  readonly clientAppUsed?: string;
}

export interface EmergencyAccessSpec {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName?: string;
  /** Default both kinds of the guidance (a security key and Windows Hello); `[]` leaves the password alone. */
  readonly methods?: readonly PhishingResistantMethod[];
  /** Groups the account is a direct member of (the ones the tenant's policies exclude). */
  readonly memberOf?: readonly string[];
  /** Default true: a permanently active Global Administrator assignment. */
  readonly globalAdministrator?: boolean;
  readonly signIns?: readonly EmergencySignInSpec[];
}

const CREATED = "2024-03-11T09:20:00Z";

function methodOf(kind: PhishingResistantMethod, seed: string): JsonObject {
  const id = stableGuid(seed, "method", kind);
  if (kind === "windowsHello") {
    return {
      "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
      id,
      displayName: "BG-ADMIN-WS01",
      createdDateTime: CREATED,
      keyStrength: "normal",
    };
  }
  const passkey = kind === "passkey";
  return {
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
    id,
    displayName: passkey ? "Passkey in Microsoft Authenticator" : "YubiKey 5 NFC (safe 1)",
    createdDateTime: CREATED,
    aaGuid: passkey ? AUTHENTICATOR_PASSKEY_AAGUID : YUBIKEY_AAGUID,
    model: passkey ? "Microsoft Authenticator - iOS" : "YubiKey 5 NFC",
    attestationCertificates: [],
    attestationLevel: passkey ? "notAttested" : "attested",
  };
}

const PASSWORD: JsonObject = { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: PASSWORD_METHOD_ID, password: null, createdDateTime: null };

function signInOf(tenantId: string, user: GraphUser, s: EmergencySignInSpec, i: number): SimSignIn {
  const interactive = s.interactive ?? true;
  const errorCode = s.errorCode ?? 0;
  return {
    id: stableGuid(tenantId, "emergency-sign-in", user.id, String(i)),
    minutesAgo: s.minutesAgo,
    userId: user.id,
    userPrincipalName: user.userPrincipalName.toLowerCase(),
    userDisplayName: (user.displayName as string | undefined) ?? null,
    appId: s.appId ?? "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    appDisplayName: s.appDisplayName ?? "Azure Portal",
    resourceId: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    resourceDisplayName: "Windows Azure Service Management API",
    ipAddress: s.ipAddress ?? "20.61.13.77",
    clientAppUsed: s.clientAppUsed ?? "Browser",
    correlationId: stableGuid(tenantId, "emergency-correlation", user.id, String(i)),
    conditionalAccessStatus: "notApplied",
    isInteractive: interactive,
    signInEventTypes: [interactive ? "interactiveUser" : "nonInteractiveUser"],
    authenticationRequirement: errorCode === 0 ? "multiFactorAuthentication" : "singleFactorAuthentication",
    userType: "member",
    riskDetail: "none",
    riskLevelAggregated: "none",
    riskLevelDuringSignIn: "none",
    riskState: "none",
    status: {
      errorCode,
      failureReason: s.failureReason ?? (errorCode === 0 ? "Other." : "Error validating credentials due to invalid username or password."),
      additionalDetails: null,
    },
    deviceDetail: { deviceId: "", displayName: "", operatingSystem: "Windows10", browser: "Edge 131.0.0", isCompliant: false, isManaged: false, trustType: "" },
    location: { city: s.city ?? "Amsterdam", state: s.state ?? "Noord-Holland", countryOrRegion: s.countryOrRegion ?? "NL", geoCoordinates: null },
    appliedConditionalAccessPolicies: [],
  };
}

/** The account's own objects: the user, its role assignment, its methods, its memberships and its sign-ins. */
function emergencyAccessParts(tenantId: string, spec: EmergencyAccessSpec) {
  const user: GraphUser = {
    id: spec.id,
    userPrincipalName: spec.userPrincipalName,
    displayName: spec.displayName ?? "Emergency access administrator",
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    onPremisesLastSyncDateTime: null,
    userType: "Member",
    createdDateTime: CREATED,
    passwordPolicies: "DisablePasswordExpiration",
    lastPasswordChangeDateTime: CREATED,
  };
  const signIns = (spec.signIns ?? []).map((s, i) => signInOf(tenantId, user, s, i));
  const lastSuccess = signIns.filter((s) => (s.status as { errorCode: number }).errorCode === 0).map((s) => s.minutesAgo ?? 0);
  user.lastSignInMinutesAgo = lastSuccess.length > 0 ? Math.min(...lastSuccess) : null;
  const seed = `${tenantId}|${spec.id}`;
  return {
    user,
    roleAssignments:
      spec.globalAdministrator === false
        ? []
        : [{ id: stableGuid(seed, "assignment"), principalId: spec.id, roleDefinitionId: GLOBAL_ADMINISTRATOR, directoryScopeId: "/", appScopeId: null }],
    methods: [PASSWORD, ...(spec.methods ?? ["fido2", "windowsHello"]).map((m) => methodOf(m, seed))],
    memberOf: spec.memberOf ?? [],
    signIns,
  };
}

/** The tenant file with the accounts added to its users, role assignments, groups, methods and sign-ins. */
export function withEmergencyAccess<F extends AccountsTarget>(file: F, specs: readonly EmergencyAccessSpec[]): F {
  const out: F = {
    ...file,
    users: [...file.users],
    roleAssignments: [...(file.roleAssignments ?? [])],
    groupMembers: { ...(file.groupMembers ?? {}) },
    authenticationMethods: { ...(file.authenticationMethods ?? {}) },
    signIns: [...(file.signIns ?? [])],
  };
  for (const spec of specs) {
    const parts = emergencyAccessParts(file.tenantId, spec);
    out.users.push(parts.user);
    out.roleAssignments!.push(...parts.roleAssignments);
    out.authenticationMethods![spec.id] = parts.methods;
    for (const g of parts.memberOf) out.groupMembers![g] = [...(out.groupMembers![g] ?? []), spec.id];
    out.signIns!.push(...parts.signIns);
  }
  return out;
}
