/**
 * The apps Microsoft enforces MFA on for every user, whatever Conditional Access says, from
 * "Planning for mandatory multifactor authentication for Azure and other admin portals"
 * (learn.microsoft.com/entra/identity/authentication/concept-mandatory-multifactor-authentication,
 * "Applications" and "Enforcement phases"):
 * - phase 1, from October 2024: the Azure portal, the Microsoft Entra admin center and the Microsoft
 *   Intune admin center (one app id, c44b4083-…);
 * - phase 2, "later in 2025": Azure CLI, Azure PowerShell, the Azure mobile app, and IaC tools (which
 *   sign in with the CLI's or PowerShell's id).
 * The page names the Microsoft 365 admin center (phase 1, from February 2025) by URL only, without
 * an app id, so it is not matched here. Phase 2 also covers Azure Resource Manager and the Azure
 * SDKs (create, update, delete): their sign-ins reach the resource "Windows Azure Service
 * Management API" (797f4846-…, the resourceId the sign-in log shows for ARM), matched as the
 * resource whatever client app the SDK used. Phase 2 is enforced at ARM, so a CLI or PowerShell
 * sign-in to another resource (Microsoft Graph) is not matched (mandatoryMfaAppOf).
 */

interface MandatoryMfaApp {
  readonly name: string;
  readonly phase: 1 | 2;
  /** When Microsoft's page says enforcement starts, in its words. */
  readonly since: string;
}

/** Client app ids (the sign-in's `appId`). */
const MANDATORY_MFA_CLIENT_APPS: Readonly<Record<string, MandatoryMfaApp>> = {
  "c44b4083-3bb0-49c1-b47d-974e53cbdf3c": { name: "the Azure portal (and the Entra and Intune admin centers)", phase: 1, since: "October 2024" },
  "04b07795-8ddb-461a-bbee-02f9e1bf7b46": { name: "Azure CLI", phase: 2, since: "later in 2025" },
  "1950a258-227b-4e31-a9cf-717495945fc2": { name: "Azure PowerShell", phase: 2, since: "later in 2025" },
  "0c1307d4-29d6-4389-a11c-5cbe7f65d7fa": { name: "the Azure mobile app", phase: 2, since: "later in 2025" },
};

const ARM: MandatoryMfaApp = { name: "Azure Resource Manager (Azure SDKs, IaC)", phase: 2, since: "later in 2025" };

/** Resource ids (the sign-in's `resourceId`). */
const MANDATORY_MFA_RESOURCES: Readonly<Record<string, MandatoryMfaApp>> = {
  "797f4846-ba00-4fd7-ba43-dac1f8f63013": ARM,
};

/** The names the sign-in log gives ARM, for a record that has a resource name but no resource id. */
const ARM_NAMES = /^(Windows Azure Service Management API|Azure Resource Manager)$/i;

/** Where a sign-in (a failure or a context) went: ids as the log gives them. */
export interface SignInTarget {
  readonly appId: string | null;
  readonly resourceId: string | null;
  readonly resourceDisplayName: string | null;
}

/**
 * The app where Microsoft enforced MFA on this sign-in, if any: the one rule the mandatory-mfa
 * check (the account's sign-in contexts) and the sign-ins check (a failure's cause) both use, so
 * they never disagree on one sign-in. Phase 1 is enforced on the portal app whatever it calls.
 * Phase 2 is enforced at Azure Resource Manager (create, update, delete), whichever client calls
 * it: a CLI, PowerShell or mobile-app sign-in counts when it is for ARM or its resource is not
 * logged at all; the same client signing in to another resource (Azure PowerShell to Microsoft
 * Graph) is not what phase 2 enforces. The resource is matched by id, by name only without one.
 */
export function mandatoryMfaAppOf(s: SignInTarget): MandatoryMfaApp | undefined {
  const client = s.appId ? MANDATORY_MFA_CLIENT_APPS[s.appId.toLowerCase()] : undefined;
  const resource = s.resourceId ? MANDATORY_MFA_RESOURCES[s.resourceId.toLowerCase()] : ARM_NAMES.test(s.resourceDisplayName ?? "") ? ARM : undefined;
  if (client?.phase === 1) return client;
  const resourceUnlogged = !s.resourceId && !s.resourceDisplayName;
  if (client && (resource || resourceUnlogged)) return client;
  return resource;
}
