/**
 * The baseline's Conditional Access policies, by persona: everyone (BL01-BL10), admins (BL11-BL19),
 * staff (BL20-BL29), automation accounts (BL30-BL39), guests (BL40-BL49) and agents (BL50-BL59).
 * Each line of a specification is one thing a real tenant's policy does (staff and automation
 * accounts are in ./policies-staff.ts); ./policy.ts adds the
 * emergency-access and per-policy exclusion groups and encodes it as Graph returns it.
 */
import { filter, guestsOrExternalUsers } from "./wire.js";
import { ADMIN_ROLES, ALL, GROUP, LOCATION, MANAGED_DEVICE, PARTNER_TENANTS, ROLE, STRENGTH, TEST_AGENT_ID } from "./directory.js";
import { automation, staff } from "./policies-staff.js";
import type { PolicySpec } from "./policy.js";

const REPORT_ONLY = "enabledForReportingButNotEnforced";
const EVERY_GUEST_TYPE = "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider";

const everyone: PolicySpec[] = [
  {
    code: 1,
    name: "Everyone: require MFA for every resource",
    users: {
      include: ALL,
      excludeGroups: [GROUP.automation.id],
      excludeRoles: [ROLE.directorySynchronizationAccounts],
      excludeGuests: guestsOrExternalUsers(EVERY_GUEST_TYPE),
    },
    apps: { include: ALL },
    grant: { controls: ["mfa"] },
  },
  {
    code: 2,
    name: "Everyone: block sign-ins from outside the allowed countries",
    users: { include: ALL },
    apps: { include: ALL },
    locations: { include: ALL, exclude: [LOCATION.allowedCountries.id] },
    grant: { controls: ["block"] },
  },
  {
    code: 3,
    name: "Everyone: block legacy authentication",
    users: { include: ALL },
    apps: { include: ALL },
    clientAppTypes: ["exchangeActiveSync", "other"],
    grant: { controls: ["block"] },
  },
  {
    code: 4,
    name: "Everyone: MFA to register or join a device",
    users: { include: ALL },
    apps: { userActions: ["urn:user:registerdevice"] },
    grant: { controls: ["mfa"] },
  },
  {
    code: 5,
    name: "Everyone: register security info from the offices only",
    users: { include: ALL },
    apps: { userActions: ["urn:user:registersecurityinfo"] },
    locations: { include: ALL, exclude: ["AllTrusted"] },
    grant: { controls: ["block"] },
  },
  {
    code: 6,
    name: "Everyone: block device code flow and authentication transfer",
    users: { include: ALL },
    apps: { include: ALL },
    authenticationFlows: "deviceCodeFlow,authenticationTransfer",
    grant: { controls: ["block"] },
  },
  {
    code: 7,
    name: "Everyone: unmanaged phones and tablets reach Office 365 through protected apps",
    users: { include: ALL },
    apps: { include: ["Office365"] },
    clientAppTypes: ["mobileAppsAndDesktopClients"],
    platforms: { include: ["android", "iOS"] },
    deviceFilter: filter("exclude", MANAGED_DEVICE),
    grant: { controls: ["compliantApplication"] },
  },
  {
    code: 8,
    name: "Everyone: Office 365 in unmanaged browsers with app-enforced restrictions",
    users: { include: ALL, forgetsEmergencyAccess: true },
    apps: { include: ["Office365"] },
    clientAppTypes: ["browser"],
    deviceFilter: filter("exclude", MANAGED_DEVICE),
    session: { applicationEnforcedRestrictions: true },
  },
  {
    code: 9,
    name: "Everyone: MFA for apps tagged high impact",
    users: { include: ALL },
    apps: { filter: filter("include", 'CustomSecurityAttribute.AppGovernance_Impact -eq "high"') },
    grant: { controls: ["mfa"] },
  },
  {
    code: 10,
    name: "Everyone: block Windows Phone (retired, kept disabled)",
    state: "disabled",
    users: { include: ALL },
    apps: { include: ALL },
    platforms: { include: ["windowsPhone"] },
    grant: { controls: ["block"] },
  },
];

const admins: PolicySpec[] = [
  {
    code: 11,
    name: "Admins: MFA for the Microsoft admin portals",
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { include: ["MicrosoftAdminPortals"] },
    grant: { controls: ["mfa"] },
  },
  { code: 12, name: "Admins: require MFA for every resource", users: { includeRoles: [...ADMIN_ROLES] }, apps: { include: ALL }, grant: { controls: ["mfa"] } },
  {
    code: 13,
    name: "Admins: sign in again every 4 hours",
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { include: ALL },
    session: { signInFrequency: { value: 4, type: "hours" } },
  },
  {
    code: 14,
    name: "Admins: browser sessions never persist",
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { include: ALL },
    session: { persistentBrowser: "never" },
  },
  {
    code: 15,
    name: "Admins: strict location enforcement, staged with no resource yet",
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { include: ["None"] },
    session: { continuousAccessEvaluation: "strictLocation" },
  },
  {
    code: 16,
    name: "Admins: phishing-resistant MFA for every resource",
    state: REPORT_ONLY,
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { include: ALL },
    grant: { strength: STRENGTH.phishingResistant },
  },
  {
    code: 17,
    name: "Admins: block medium and high sign-in risk",
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { include: ALL },
    signInRisk: ["medium", "high"],
    grant: { controls: ["block"] },
  },
  {
    code: 18,
    name: "Admins: passkeys or Windows Hello for privileged operations",
    users: { includeRoles: [...ADMIN_ROLES] },
    apps: { authenticationContexts: ["c1"] },
    grant: { strength: STRENGTH.passkeysOrHello },
  },
];

const guests: PolicySpec[] = [
  {
    code: 40,
    name: "Guests: require MFA for every resource",
    users: { include: ["GuestsOrExternalUsers"] },
    apps: { include: ALL },
    grant: { controls: ["mfa"] },
  },
  {
    code: 41,
    name: "Guests: block everything but Office 365",
    users: { includeGuests: guestsOrExternalUsers(EVERY_GUEST_TYPE) },
    apps: { include: ALL, exclude: ["Office365"] },
    grant: { controls: ["block"] },
  },
  {
    code: 42,
    name: "Guests from partner tenants: daily sign-in, no persistent browser, monitored sessions",
    users: { includeGuests: guestsOrExternalUsers("b2bCollaborationGuest,b2bCollaborationMember", PARTNER_TENANTS) },
    apps: { include: ALL },
    session: { signInFrequency: { value: 1, type: "days" }, persistentBrowser: "never", cloudAppSecurity: "monitorOnly" },
  },
];

const agents: PolicySpec[] = [
  {
    code: 50,
    name: "Agents: block high-risk agent identities",
    users: { include: ["None"] },
    apps: { include: ALL },
    agentIdentities: { include: ALL },
    agentIdRisk: "high",
    grant: { controls: ["block"] },
  },
  {
    code: 51,
    name: "Agents: block agent identities tagged experimental, except the test agent",
    users: { include: ["None"] },
    apps: { include: ALL },
    agentIdentities: { exclude: [TEST_AGENT_ID], filter: filter("include", 'CustomSecurityAttribute.AgentGovernance_Stage -eq "experimental"') },
    grant: { controls: ["block"] },
  },
  {
    code: 52,
    name: "Agents: block medium and high risk on agent resources",
    state: REPORT_ONLY,
    users: { include: ["None"] },
    apps: { include: ["AllAgentIdResources"] },
    agentIdentities: { include: ALL },
    agentIdRisk: "medium,high",
    grant: { controls: ["block"] },
  },
];

export const POLICY_SPECS: readonly PolicySpec[] = [...everyone, ...admins, ...staff, ...automation, ...guests, ...agents];
