/** Which display names are Microsoft-managed policies: the real names tenants show, and customer names that only look alike. */
import { describe, expect, it } from "vitest";
import { isMicrosoftManagedName } from "../../../lib/checks/managed-policies/names.js";

// Microsoft's page lists the policies by name (learn.microsoft.com/entra/identity/conditional-access/managed-policies);
// tenants show each with the "Microsoft-managed: " prefix.
const PAGE_NAMES = [
  "Block all high risk agents from accessing all resources",
  "Block legacy authentication",
  "Block device code flow",
  "Multifactor authentication for admins accessing Microsoft Admin Portals",
  "Multifactor authentication for all users",
  "Multifactor authentication for per-user multifactor authentication users",
  "Multifactor authentication and reauthentication for risky sign-ins",
  "Phishing-resistant multifactor authentication for admins",
  // On the page in earlier versions; tenants that got it keep it.
  "Multifactor authentication for Microsoft partners and vendors",
];

describe("isMicrosoftManagedName", () => {
  it.each(PAGE_NAMES.map((n) => [`Microsoft-managed: ${n}`]))("%s: managed", (name) => {
    expect(isMicrosoftManagedName(name)).toBe(true);
  });

  it.each([
    // As exported from real tenants.
    ["Microsoft-managed: Multifactor authentication and reauthentication for risky sign-ins", true],
    ["Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals", true],
    ["Microsoft-managed: Block device code flow", true],
    // Case, whitespace and typographic dashes do not matter.
    ["microsoft-managed: block legacy authentication", true],
    ["MICROSOFT-MANAGED: BLOCK LEGACY AUTHENTICATION", true],
    ["  Microsoft-managed:   Block   legacy authentication  ", true],
    ["Microsoft-managed:Block legacy authentication", true],
    ["Microsoft\u2011managed: Block legacy authentication", true],
    ["Microsoft managed: Block legacy authentication", true],
    // A managed policy Microsoft adds after this list was written.
    ["Microsoft-managed: Require compliant device for admins", true],
    // Customer policies with the same words: templates, copies, numbered names.
    ["Block legacy authentication", false],
    ["Multifactor authentication for admins accessing Microsoft Admin Portals", false],
    ["CA01 - Block legacy authentication", false],
    ["Copy of Microsoft-managed: Block legacy authentication", false],
    ["Block legacy authentication (Microsoft-managed: copy)", false],
    ["Microsoft-managed policies review", false],
    ["Microsoft-managed:", false],
    ["Microsoft-managed:   ", false],
    ["", false],
  ])("%j: %s", (name, managed) => {
    expect(isMicrosoftManagedName(name)).toBe(managed);
  });
});
