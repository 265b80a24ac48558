/**
 * Choosing a tenant's connection account among the directory's users, pure: it must match the
 * operator's pattern, be cloud-only (a synced account is managed on-premises, where a password
 * change or a disabled account outside Entra breaks the monitoring), be enabled, and hold Global
 * Administrator (active, directly or through a group). Exactly one such user is proposed; none or
 * several are left for a person to decide, with why, never guessed.
 */
import type { AccountPattern } from "./account-pattern.js";

export interface DirectoryUser {
  readonly userPrincipalName: string;
  readonly onPremisesSyncEnabled: boolean | null;
  readonly accountEnabled: boolean | null;
  readonly isGlobalAdministrator: boolean;
}

type AccountChoice =
  | { readonly kind: "chosen"; readonly account: string }
  | { readonly kind: "none"; readonly reason: string }
  | { readonly kind: "several"; readonly candidates: readonly string[]; readonly reason: string };

function whyNot(user: DirectoryUser): string | undefined {
  if (user.onPremisesSyncEnabled === true) return "is synced from on-premises";
  if (user.accountEnabled === false) return "is disabled";
  if (!user.isGlobalAdministrator) return "does not hold Global Administrator";
  return undefined;
}

export function chooseAccount(users: readonly DirectoryUser[], pattern: AccountPattern): AccountChoice {
  const matching = users.filter((u) => pattern.matches(u.userPrincipalName));
  const fit = matching.filter((u) => whyNot(u) === undefined).map((u) => u.userPrincipalName);
  if (fit.length === 1) return { kind: "chosen", account: fit[0]! };
  if (fit.length > 1) {
    const candidates = [...fit].sort((a, b) => a.localeCompare(b));
    return { kind: "several", candidates, reason: `several candidates (${candidates.join(", ")}): put one in account` };
  }
  if (matching.length === 0) return { kind: "none", reason: `no user matches ${pattern.source}: put the connection account in account` };
  const rejected = matching.map((u) => `${u.userPrincipalName} ${whyNot(u)!}`).sort((a, b) => a.localeCompare(b));
  return { kind: "none", reason: `no candidate (${rejected.join("; ")}): put the connection account in account` };
}
