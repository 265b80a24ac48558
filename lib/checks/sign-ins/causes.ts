/**
 * The sign-in failures that stop an unattended sign-in, each classified by cause, with the words
 * a person reads and the fix. The codes and their meanings are Microsoft's
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes, "AADSTS error codes"):
 * 50053 IdsLocked, 50055 InvalidPasswordExpiredPassword, 50057 UserDisabled, 50126
 * InvalidUserNameOrPassword, 50125 PasswordResetRegistrationRequiredInterrupt, 50173
 * FreshTokenNeeded (the grant was revoked), 50133 SsoArtifactInvalidOrExpired (the session is not
 * valid after a password change or expiry), 530035 BlockedBySecurityDefaults, 53004
 * ProofUpBlockedDueToRisk, 50135 PasswordChangeCompromisedPassword, and the MFA and Conditional
 * Access codes. Mandatory MFA (Azure portal, CLI, PowerShell, Resource Manager; Microsoft's
 * enforcement no policy can exclude, learn.microsoft.com/entra/identity/authentication/
 * concept-mandatory-multifactor-authentication) answers with the MFA codes: it is told apart by
 * the app signed in to. The collector asks Graph for exactly these codes in one filtered request
 * (lib/graph/facts/sign-ins.ts). A Map keeps this order (a Record would sort the numeric keys).
 */
import { MFA_OR_CA_ERROR_CODES } from "../well-known.js";
import { mandatoryMfaAppOf, type SignInTarget } from "../mandatory-mfa/apps.js";

export type SignInCause =
  | "mfa"
  | "mandatory-mfa"
  | "conditional-access"
  | "security-defaults"
  | "risk"
  | "password-expired"
  | "password-change-required"
  | "wrong-password"
  | "locked"
  | "disabled"
  | "session-revoked";

interface CauseText {
  /** The cause in words, as an email's group heading. */
  readonly title: string;
  /** What to do about it. */
  readonly fix: string;
}

export const CAUSES: Readonly<Record<SignInCause, CauseText>> = {
  mfa: {
    title: "MFA was required",
    fix:
      "Find where MFA comes from (per-user MFA, Security Defaults or a Conditional Access policy: the failed sign-in's " +
      "Authentication details) and remove it for the account; the other checks name it.",
  },
  "mandatory-mfa": {
    title: "Microsoft's mandatory MFA for Azure management",
    fix:
      "No policy can exclude a user from it: sign in to Azure Resource Manager, the Azure CLI or PowerShell with a workload " +
      "identity (a service principal or managed identity), not the connection account.",
  },
  "conditional-access": {
    title: "Blocked by Conditional Access",
    fix: "Open the failed sign-in's Conditional Access tab for the policy that applied and exclude the account from it (see the conditional-access check).",
  },
  "security-defaults": {
    title: "Blocked by Security Defaults",
    fix: "Entra admin center → Identity → Overview → Properties → Manage security defaults → Disabled (Security Defaults allow no exclusion).",
  },
  risk: {
    title: "Blocked because of user risk",
    fix:
      "Entra admin center → Protection → Identity Protection → Risky users: investigate, then reset the password or confirm " +
      "safe/dismiss the risk; exclude the account from user-risk policies only if it is not compromised.",
  },
  "password-expired": {
    title: "The password expired",
    fix:
      "Set a new password (and give it to the service), then set it never to expire: Update-MgUser -UserId <account> " +
      "-PasswordPolicies DisablePasswordExpiration.",
  },
  "password-change-required": {
    title: "A password change was required",
    // AADSTS50125 is "Sign-in was interrupted because of a password reset or password registration entry": a forced
    // change, or the self-service password reset registration the tenant requires (learn.microsoft.com/entra/identity-platform/reference-error-codes).
    fix:
      "Sign in once interactively as the account and finish what it asks: set a new password (or reset it with ForceChangePasswordNextSignIn off) " +
      "and give it to the service, or register the self-service password reset methods it asks for (or take the account out of the group " +
      "that must register for self-service password reset).",
  },
  "wrong-password": {
    title: "Wrong password",
    fix: "The password the service holds is not the account's: update it in the service (someone changed or reset it). Repeated failures lock the account.",
  },
  locked: {
    title: "The account is locked",
    fix:
      "Smart lockout locked it after failed attempts (often the service retrying an old password): correct the service's " +
      "password and wait for the lockout to end, or unlock it in Entra admin center.",
  },
  disabled: {
    title: "The account is disabled",
    fix: "Entra admin center → Users → the account → Edit properties → Settings → check Account enabled (see the account check).",
  },
  "session-revoked": {
    title: "The account's sessions were revoked",
    fix:
      'Its refresh tokens are void: the service must sign in again with the password. The Entra audit log (activity "Revoke ' +
      'user sessions" / "Invalidate all refresh tokens for user") says who revoked them.',
  },
};

/** Every failure code read, with its meaning and cause: the MFA/CA codes first (their meanings kept), then the others. */
export const SIGN_IN_FAILURES: ReadonlyMap<number, { readonly meaning: string; readonly cause: SignInCause }> = new Map([
  ...[...MFA_OR_CA_ERROR_CODES].map(([code, meaning]): [number, { meaning: string; cause: SignInCause }] => [
    code,
    { meaning, cause: code >= 53000 ? "conditional-access" : "mfa" },
  ]),
  [530035, { meaning: "blocked by Security Defaults", cause: "security-defaults" }],
  [53004, { meaning: "MFA registration blocked due to risk", cause: "risk" }],
  [50135, { meaning: "password change required due to account risk", cause: "risk" }],
  [50055, { meaning: "password expired", cause: "password-expired" }],
  [50125, { meaning: "sign-in interrupted by a password reset or password-reset registration", cause: "password-change-required" }],
  [50126, { meaning: "invalid username or password", cause: "wrong-password" }],
  [50053, { meaning: "account locked", cause: "locked" }],
  [50057, { meaning: "account disabled", cause: "disabled" }],
  [50173, { meaning: "refresh token revoked: a fresh sign-in is needed", cause: "session-revoked" }],
  [50133, { meaning: "session invalid after a password change or expiry", cause: "session-revoked" }],
]);

/** The cause of one failure; null for a code outside the list. */
export function causeOf(s: SignInTarget & { readonly errorCode: number }): SignInCause | null {
  const known = SIGN_IN_FAILURES.get(s.errorCode);
  if (!known) return null;
  // An MFA failure where Microsoft enforces MFA itself, by the mandatory-mfa check's own rule.
  if (known.cause === "mfa" && mandatoryMfaAppOf(s)) return "mandatory-mfa";
  return known.cause;
}

/**
 * The causes in a sign-ins finding's evidence (each line starts with its cause's title), with how
 * many failures each had, in the evidence's order: what an email shows as the finding's groups.
 */
export function causesInEvidence(evidence: readonly string[]): { readonly cause: CauseText; readonly count: number }[] {
  const counts = new Map<CauseText, number>();
  for (const line of evidence) {
    const cause = Object.values(CAUSES).find((c) => line.startsWith(`${c.title}: `));
    if (cause) counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return [...counts].map(([cause, count]) => ({ cause, count }));
}
