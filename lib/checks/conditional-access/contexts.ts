/**
 * A sign-in context as Conditional Access conditions see it: the sign-in log's words
 * (`clientAppUsed`, `deviceDetail.operatingSystem`) mapped to the policy's (`clientAppTypes`,
 * `platforms`), and a label a person reads ("203.0.113.7 (US) to Exchange Online").
 *
 * clientAppUsed values: learn.microsoft.com/entra/identity/monitoring-health/concept-sign-in-log-activity-details
 * ("Browser", "Mobile Apps and Desktop clients", "Exchange ActiveSync", and the legacy protocols);
 * the policy's types: learn.microsoft.com/graph/api/resources/conditionalaccessconditionset.
 */
import type { SignInContext } from "../../model/index.js";
import { appName } from "../well-known.js";

/** The policy's client app type of a logged sign-in; null when the log does not say. */
export function clientAppTypeOf(c: Pick<SignInContext, "clientAppUsed">): string | null {
  const used = (c.clientAppUsed ?? "").trim().toLowerCase();
  if (used === "") return null;
  if (used === "browser") return "browser";
  if (used.startsWith("mobile apps and desktop")) return "mobileAppsAndDesktopClients";
  if (used.startsWith("exchange activesync")) return "exchangeActiveSync";
  // IMAP4, POP3, SMTP, MAPI over HTTP, Autodiscover, Exchange Web Services, "Other clients": legacy authentication.
  return "other";
}

const PLATFORMS: readonly (readonly [RegExp, string])[] = [
  [/^windows ?phone/i, "windowsPhone"],
  [/^windows/i, "windows"],
  [/^(macos|mac os|osx)/i, "macOS"],
  [/^(ios|ipad|iphone)/i, "iOS"],
  [/^android/i, "android"],
  [/^linux/i, "linux"],
];

/** The policy's device platform of a logged sign-in; null when the log does not name one we know. */
export function platformOf(c: Pick<SignInContext, "operatingSystem">): string | null {
  const os = (c.operatingSystem ?? "").trim();
  return PLATFORMS.find(([re]) => re.test(os))?.[1] ?? null;
}

/** "203.0.113.7 (US) to Exchange Online": where from and to what, for reasons. */
export function contextLabel(c: SignInContext): string {
  const where = `${c.ipAddress ?? "an unknown IP"}${c.country ? ` (${c.country})` : ""}`;
  const to = c.resourceDisplayName ?? (c.resourceId ? appName(c.resourceId) : "an unknown resource");
  return `${where} to ${to}`;
}
