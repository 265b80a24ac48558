/** Sim data for the observed-contexts integration tests: a named location around the account's IP, policies on it, a CLI sign-in. */
import type { GraphCaPolicy, JsonObject, SimSignIn } from "../../sim/types.js";

/** The sample estate's routine sign-ins come from this IP (sim/estate/load.ts). */
const ROUTINE_IP = "20.61.13.77";
export const LOCATION_ID = "7f1c2a9e-0000-4000-8000-0000000000aa";

export const officeLocation: JsonObject = {
  "@odata.type": "#microsoft.graph.ipNamedLocation",
  id: LOCATION_ID,
  displayName: "Automation egress",
  modifiedDateTime: "2026-02-01T00:00:00Z",
  isTrusted: false,
  ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "20.61.13.0/24" }],
};

export function locationPolicy(id: string, locations: { includeLocations: string[]; excludeLocations: string[] }): GraphCaPolicy {
  return {
    id,
    displayName: "CA50 - Block outside or inside the egress",
    state: "enabled",
    modifiedDateTime: "2026-02-01T00:00:00Z",
    conditions: {
      users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      clientAppTypes: ["all"],
      locations,
      platforms: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: { operator: "OR", builtInControls: ["block"], customAuthenticationFactors: [], termsOfUse: [] },
    sessionControls: null,
  };
}

export function azureCliSignIn(userId: string): SimSignIn {
  return {
    id: "5b1f0000-0000-4000-8000-00000000c11a",
    minutesAgo: 30,
    userId,
    appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    appDisplayName: "Microsoft Azure CLI",
    resourceId: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    resourceDisplayName: "Windows Azure Service Management API",
    ipAddress: ROUTINE_IP,
    clientAppUsed: "Mobile Apps and Desktop clients",
    isInteractive: false,
    signInEventTypes: ["nonInteractiveUser"],
    status: { errorCode: 0, failureReason: null, additionalDetails: null },
    location: { city: "Amsterdam", countryOrRegion: "NL" },
    deviceDetail: { operatingSystem: "Linux", isCompliant: false, isManaged: false, trustType: "" },
  };
}
