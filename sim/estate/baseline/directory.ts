/**
 * The directory objects the baseline's policies name: its groups, named locations, authentication
 * strengths and terms of use, with readable ids (`b1a5e11e-<kind>-4000-8000-0000000000nn`), and the
 * Microsoft ids (role templates, apps) they target.
 */
import type { GraphGroup, JsonObject } from "../../types.js";
import { complex, date, enumValue, enums, navigation } from "./wire.js";

export const ALL = ["All"];

/** Devices the organisation manages: the baseline's device filters exclude them. */
export const MANAGED_DEVICE = 'device.isCompliant -eq True -or device.trustType -eq "ServerAD"';

const id = (kind: number, n: number): string => `b1a5e11e-${String(kind).padStart(4, "0")}-4000-8000-${String(n).padStart(12, "0")}`;

/** `BL07`: how the baseline names policy 7, in its display name and its exclusion group's. */
export const codeName = (code: number): string => `BL${String(code).padStart(2, "0")}`;
export const policyId = (code: number): string => id(1, code);
export const exclusionGroupId = (code: number): string => id(3, code);

function group(groupId: string, displayName: string, description: string, isAssignableToRole: boolean | null = null): GraphGroup {
  return { id: groupId, displayName, description, securityEnabled: true, mailEnabled: false, groupTypes: [], isAssignableToRole, membershipRule: null };
}

/** The persona groups: who the policies are for, and who they must never lock out. */
export const GROUP = {
  emergencyAccess: group(id(2, 1), "Baseline - emergency access", "Accounts that must always sign in: excluded from every baseline policy.", true),
  automation: group(
    id(2, 2),
    "Baseline - automation accounts",
    "Non-interactive accounts; the automation policies (BL30-BL39) cover them instead of the everyone policies.",
  ),
  staff: group(id(2, 3), "Baseline - staff", "Licensed employees; the staff policies (BL20-BL29) apply to them."),
} as const;

/** `BLnn exclusions`: the group an operator puts someone in to take them out of one policy only. */
export function exclusionGroup(code: number): GraphGroup {
  const name = codeName(code);
  return group(exclusionGroupId(code), `${name} exclusions`, `Members are out of scope of ${name} only; reviewed every quarter.`);
}

/** Directory role templates (Microsoft's ids, the same in every tenant). */
export const ROLE = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  privilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  securityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  conditionalAccessAdministrator: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
  exchangeAdministrator: "29232cdf-9323-42fd-ade2-1d097af3e4de",
  sharePointAdministrator: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  intuneAdministrator: "3a2c62db-5318-420d-8d74-23affee5d9d5",
  directorySynchronizationAccounts: "d29b2b05-8046-44ba-8758-1e26182fcf32",
} as const;

/** The roles the admin policies (BL11-BL19) include. */
export const ADMIN_ROLES: readonly string[] = [
  ROLE.globalAdministrator,
  ROLE.privilegedRoleAdministrator,
  ROLE.privilegedAuthenticationAdministrator,
  ROLE.securityAdministrator,
  ROLE.conditionalAccessAdministrator,
  ROLE.exchangeAdministrator,
  ROLE.sharePointAdministrator,
  ROLE.userAdministrator,
  ROLE.intuneAdministrator,
];

/** Resource apps by id (Microsoft's, the same in every tenant). */
export const APP = {
  intuneEnrollment: "d4ebce55-015a-49b5-a083-c84d1797ae8c",
} as const;

/** The partner tenants whose guests BL42 names. */
export const PARTNER_TENANTS: readonly string[] = ["c0ffee00-0000-4000-8000-000000000001", "c0ffee00-0000-4000-8000-000000000002"];

/** An agent identity the agent policies leave out (the team that builds agents tests with it). */
export const TEST_AGENT_ID = id(7, 1);

export const TERMS_OF_USE_ID = id(5, 1);

/** The named locations, as `GET /identity/conditionalAccess/namedLocations` lists them. */
export const LOCATION = {
  allowedCountries: {
    "@odata.type": "#microsoft.graph.countryNamedLocation",
    id: id(4, 1),
    displayName: "Baseline - allowed countries",
    createdDateTime: "2025-09-15T07:40:00Z",
    modifiedDateTime: "2025-12-01T10:05:00Z",
    countriesAndRegions: ["NL", "BE", "LU", "DE", "FR"],
    includeUnknownCountriesAndRegions: false,
    countryLookupMethod: "clientIpAddress",
  },
  offices: {
    "@odata.type": "#microsoft.graph.ipNamedLocation",
    id: id(4, 2),
    displayName: "Baseline - offices",
    createdDateTime: "2025-09-15T07:42:00Z",
    modifiedDateTime: "2025-09-15T07:42:00Z",
    isTrusted: true,
    ipRanges: [
      { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/25" },
      { "@odata.type": "#microsoft.graph.iPv6CidrRange", cidrAddress: "2001:db8:4a00::/48" },
    ],
  },
  automationRunners: {
    "@odata.type": "#microsoft.graph.ipNamedLocation",
    id: id(4, 3),
    displayName: "Baseline - automation runners",
    createdDateTime: "2025-09-15T07:44:00Z",
    modifiedDateTime: "2026-01-08T16:20:00Z",
    isTrusted: false,
    ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.32/28" }],
  },
} satisfies Record<string, JsonObject & { id: string }>;

function strength(spec: { id: string; displayName: string; description: string; builtIn: boolean; combinations: string[] }) {
  return (path: string): JsonObject =>
    complex(
      "authenticationStrengthPolicy",
      {
        id: spec.id,
        createdDateTime: date(spec.builtIn ? "2021-12-01T08:00:00Z" : "2025-09-15T07:50:00Z"),
        modifiedDateTime: date(spec.builtIn ? "2021-12-01T08:00:00Z" : "2025-09-15T07:50:00Z"),
        displayName: spec.displayName,
        description: spec.description,
        policyType: enumValue("authenticationStrengthPolicyType", spec.builtIn ? "builtIn" : "custom"),
        requirementsSatisfied: enumValue("authenticationStrengthRequirements", "mfa"),
        allowedCombinations: enums("authenticationMethodModes", spec.combinations),
        ...navigation(path, "combinationConfigurations", []),
      },
      { "@odata.id": path, "@odata.editLink": path },
    );
}

/** Authentication strengths: Microsoft's built-in phishing-resistant one (its id and name) and one of the baseline's own. */
export const STRENGTH = {
  phishingResistant: strength({
    id: "00000000-0000-0000-0000-000000000004",
    displayName: "Phishing-resistant MFA",
    description: "Built-in: only methods bound to the device or the sign-in origin.",
    builtIn: true,
    combinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
  }),
  passkeysOrHello: strength({
    id: id(6, 1),
    displayName: "Baseline - passkeys or Windows Hello",
    description: "For privileged operations: a passkey (FIDO2) or Windows Hello for Business, nothing weaker.",
    builtIn: false,
    combinations: ["fido2", "windowsHelloForBusiness"],
  }),
} as const;
