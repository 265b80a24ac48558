/** Builders for observed sign-in contexts and named locations. */
import type { NamedLocationFact, SignInContext } from "../../../lib/model/index.js";

export const EXO = "00000002-0000-0ff1-ce00-000000000000";
export const GRAPH = "00000003-0000-0000-c000-000000000000";

export function signInContext(over: Partial<SignInContext> = {}): SignInContext {
  return {
    appId: "1b730954-1685-4b74-9bfd-dac224a7b894",
    appDisplayName: "Azure Active Directory PowerShell",
    resourceId: EXO,
    resourceDisplayName: "Office 365 Exchange Online",
    clientAppUsed: "Mobile Apps and Desktop clients",
    ipAddress: "203.0.113.7",
    country: "US",
    operatingSystem: "Windows10",
    deviceRegistered: false,
    deviceCompliant: false,
    lastSeen: "2026-01-02T11:00:00Z",
    ...over,
  };
}

export function ipLocation(id: string, cidrs: string[], over: Partial<NamedLocationFact> = {}): NamedLocationFact {
  return {
    id,
    displayName: `IP ${id}`,
    kind: "ip",
    isTrusted: false,
    cidrs,
    truncated: false,
    countries: [],
    includeUnknownCountriesAndRegions: false,
    countryLookupMethod: null,
    modifiedDateTime: "2026-01-01T00:00:00Z",
    ...over,
  };
}

export function countryLocation(id: string, countries: string[], over: Partial<NamedLocationFact> = {}): NamedLocationFact {
  return { ...ipLocation(id, []), kind: "country", displayName: `Countries ${id}`, countries, countryLookupMethod: "clientIpAddress", ...over };
}
