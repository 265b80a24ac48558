/** The baseline's policies for staff (BL20-BL29) and automation accounts (BL30-BL39); see ./policies.ts. */
import { filter } from "./wire.js";
import { ALL, APP, GROUP, LOCATION, MANAGED_DEVICE, TERMS_OF_USE_ID } from "./directory.js";
import type { PolicySpec } from "./policy.js";

export const staff: PolicySpec[] = [
  { code: 20, name: "Staff: require MFA for every resource", users: { includeGroups: [GROUP.staff.id] }, apps: { include: ALL }, grant: { controls: ["mfa"] } },
  {
    code: 21,
    name: "Staff: high user risk means MFA and a new password",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ALL },
    userRisk: ["high"],
    grant: { controls: ["mfa", "passwordChange"], operator: "AND" },
    session: { signInFrequency: "everyTime" },
  },
  {
    code: 22,
    name: "Staff: block elevated insider risk",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ALL },
    insiderRisk: "elevated",
    grant: { controls: ["block"] },
  },
  {
    code: 23,
    name: "Staff: unmanaged Windows and macOS devices sign in every 12 hours",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ALL },
    platforms: { include: ["windows", "macOS"] },
    deviceFilter: filter("exclude", MANAGED_DEVICE),
    session: { signInFrequency: { value: 12, type: "hours" } },
  },
  {
    code: 24,
    name: "Staff: Windows needs a compliant or hybrid-joined device",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ALL },
    platforms: { include: ["windows"] },
    grant: { controls: ["compliantDevice", "domainJoinedDevice"] },
  },
  {
    code: 25,
    name: "Staff: block unknown platforms",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ALL },
    platforms: { include: ["all"], exclude: ["android", "iOS", "windows", "macOS", "linux"] },
    grant: { controls: ["block"] },
  },
  {
    code: 26,
    name: "Staff: MFA every time to enrol a device in Intune",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: [APP.intuneEnrollment] },
    grant: { controls: ["mfa"] },
    session: { signInFrequency: "everyTime" },
  },
  {
    code: 27,
    name: "Staff: continuous access evaluation strictly enforced",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ALL },
    session: { continuousAccessEvaluation: "strictEnforcement" },
  },
  {
    code: 28,
    name: "Staff: accept the acceptable-use terms",
    users: { includeGroups: [GROUP.staff.id] },
    apps: { include: ["Office365"] },
    grant: { termsOfUse: [TERMS_OF_USE_ID] },
  },
];

export const automation: PolicySpec[] = [
  {
    code: 30,
    name: "Automation: require MFA for every resource",
    users: { includeGroups: [GROUP.automation.id] },
    apps: { include: ALL },
    grant: { controls: ["mfa"] },
  },
  {
    code: 31,
    name: "Automation: block sign-ins from outside the automation runners",
    users: { includeGroups: [GROUP.automation.id], forgetsEmergencyAccess: true },
    apps: { include: ALL },
    locations: { include: ALL, exclude: [LOCATION.automationRunners.id] },
    grant: { controls: ["block"] },
  },
];
