/**
 * The facts of the account's observed sign-ins: the contexts it signs in with, the
 * named locations that decide location conditions, and Microsoft's What If answers. Types only,
 * re-exported by model/facts.ts (a leaf module: nothing here may import a value).
 */

/**
 * One distinct context the account was seen signing in with (successful sign-ins included): what
 * Conditional Access conditions look at. Built from beta `auditLogs/signIns` (lib/graph/facts/sign-in-contexts.ts).
 */
export interface SignInContext {
  /** The client app (`appId`): what Microsoft's mandatory MFA is keyed on. */
  readonly appId: string | null;
  readonly appDisplayName: string | null;
  /** The resource app (`resourceId`): what a policy's applications condition targets. */
  readonly resourceId: string | null;
  readonly resourceDisplayName: string | null;
  /** As the sign-in log words it (`clientAppUsed`: "Browser", "Mobile Apps and Desktop clients", "IMAP4", …). */
  readonly clientAppUsed: string | null;
  readonly ipAddress: string | null;
  /** ISO 3166 two-letter code (`location.countryOrRegion`). */
  readonly country: string | null;
  /** `deviceDetail.operatingSystem` as logged ("Windows10", "MacOs", "Linux", …). */
  readonly operatingSystem: string | null;
  /** `deviceDetail.trustType` set: the device is registered or joined. */
  readonly deviceRegistered: boolean | null;
  readonly deviceCompliant: boolean | null;
  /** The newest sign-in seen with this context (ISO). */
  readonly lastSeen: string;
}

/** A Conditional Access named location (`identity/conditionalAccess/namedLocations`), reduced to what membership needs. */
export interface NamedLocationFact {
  readonly id: string;
  readonly displayName: string;
  readonly kind: "ip" | "country" | "other";
  readonly isTrusted: boolean;
  /** CIDR ranges of an IP location (IPv4 and IPv6). */
  readonly cidrs: readonly string[];
  /** True when the stored list of ranges was cut to keep the state row small: a miss is then not certain. */
  readonly truncated: boolean;
  readonly countries: readonly string[];
  readonly includeUnknownCountriesAndRegions: boolean;
  /** `countryLookupMethod`: `authenticatorAppGps` cannot be decided from the sign-in log's IP-based country. */
  readonly countryLookupMethod: string | null;
  readonly modifiedDateTime: string | null;
}

/** Microsoft's What If answer for one policy and one sign-in context. */
export interface WhatIfAnswer {
  /** The context's key (lib/checks/conditional-access/contexts.ts contextKey). */
  readonly context: string;
  readonly policyId: string;
  readonly policyApplies: boolean;
  readonly analysisReasons: string | null;
}

/**
 * The What If cross-check's input: Microsoft's answers (as last evaluated), or why there are none.
 * Not a Graph fact of the registry (it is a POST per context, made only when something changed).
 */
export type WhatIfFact =
  | { readonly status: "evaluated"; readonly evaluatedAt: string; readonly answers: readonly WhatIfAnswer[]; readonly contexts: readonly SignInContext[] }
  | { readonly status: "skipped"; readonly reason: string; readonly permission?: string };

/** The application permissions granted to the app in a tenant, by name (Graph's app roles the app knows). */
export interface AppPermissionsFact {
  readonly granted: readonly string[];
}
