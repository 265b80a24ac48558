/**
 * The block for one sign-in of an emergency access account: when, from where, with what, and how
 * it ended. Every value comes from the sign-in log (an attacker can choose an app's name or a
 * user agent); the renderers escape them like every other fact.
 */
import type { Transition } from "../../model/state.js";
import { formatTime } from "../format.js";
import type { Block } from "./document.js";

type EmergencySignIn = Extract<Transition, { kind: "emergency-sign-in" }>["signIn"];

const UNKNOWN = "not in the sign-in log";

export const signedIn = (s: EmergencySignIn): boolean => s.errorCode === 0;

/** "Seattle, US", "US", or null. */
export function placeOf(s: EmergencySignIn): string | null {
  const parts = [s.city, s.countryOrRegion].filter((p): p is string => typeof p === "string" && p.trim() !== "");
  return parts.length > 0 ? parts.join(", ") : null;
}

function resultOf(s: EmergencySignIn): string {
  if (signedIn(s)) return "Success";
  return `Failure ${s.errorCode}${s.failureReason ? `: ${s.failureReason}` : ""}`;
}

export function emergencySignInBlock(s: EmergencySignIn, upn: string | null): Block {
  const who = upn ?? "an emergency access account";
  const app = s.appDisplayName ?? s.appId ?? UNKNOWN;
  return {
    title: signedIn(s) ? "Emergency access account signed in" : "Emergency access account: failed sign-in",
    tone: "warning",
    lead:
      `${who} ${signedIn(s) ? "signed in" : "tried to sign in and failed"} at ${formatTime(s.createdDateTime)}. An emergency access account is used ` +
      "only in an emergency or a planned drill: every sign-in is reported, once. Confirm that someone on your team used it, and why.",
    facts: [
      { label: "When", value: formatTime(s.createdDateTime) },
      { label: "IP address", value: s.ipAddress ?? UNKNOWN },
      { label: "Location", value: placeOf(s) ?? UNKNOWN },
      { label: "Application", value: app },
      { label: "Client app", value: s.clientAppUsed ?? UNKNOWN },
      { label: "Interactive", value: s.isInteractive === null ? UNKNOWN : s.isInteractive ? "yes" : "no (a token refresh)" },
      { label: "Result", value: resultOf(s) },
      { label: "Sign-in id", value: s.id },
    ],
    lists: [],
    steps: [
      "If it was a planned drill or a real emergency, record it: nothing else needs to be done here.",
      "If nobody on your team used it: treat the account as compromised. Reset its credentials (delete and re-register its passkeys), revoke its " +
        "sessions (Entra admin center → Entra ID → Users → the account → Revoke sessions) and review the audit log for what it did.",
      "Preserve the sign-in and audit logs of the time of the sign-in for the post-incident review Microsoft's emergency access guidance asks for.",
    ],
    links: [],
  };
}
