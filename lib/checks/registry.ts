/**
 * The one list of checks, in report order. A new check is a folder lib/checks/<id>/ with its
 * check.ts, plus one line here; CheckId, CHECK_IDS, the emails' names, ranks and links, and the
 * facts the checks read all derive from this list (the README table is held to it by a test).
 *
 * Stored rows (lib/model) carry check ids as plain strings: they outlive this list. `checkOf`
 * narrows one to the checks this version has, at the edges that need a known check (the emails'
 * and the dashboard's names, ranks and links; the estate filter takes CHECK_IDS); a stored id it
 * does not know is a retired check (docs/storage.md).
 */
import type { FactKey } from "../model/facts.js";
import { accountCheck } from "./account/check.js";
import { adminRoleCheck } from "./admin-role/check.js";
import { conditionalAccessCheck } from "./conditional-access/check.js";
import { consentCheck } from "./consent/check.js";
import { managedPoliciesCheck } from "./managed-policies/check.js";
import { mandatoryMfaCheck } from "./mandatory-mfa/check.js";
import { mfaRegistrationCheck } from "./mfa-registration/check.js";
import { passwordChangeForcedCheck } from "./password-change-forced/check.js";
import { passwordExpiryCheck } from "./password-expiry/check.js";
import { perUserMfaCheck } from "./per-user-mfa/check.js";
import { phishingResistantCheck } from "./phishing-resistant/check.js";
import { securityDefaultsCheck } from "./security-defaults/check.js";
import { sessionsRevokedCheck } from "./sessions-revoked/check.js";
import { signInsCheck } from "./sign-ins/check.js";
import { userRiskCheck } from "./user-risk/check.js";
import type { Check } from "./types.js";
import { whatIfCheck } from "./what-if/check.js";

export const REGISTRY = [
  accountCheck,
  adminRoleCheck,
  securityDefaultsCheck,
  perUserMfaCheck,
  conditionalAccessCheck,
  mfaRegistrationCheck,
  phishingResistantCheck,
  signInsCheck,
  passwordExpiryCheck,
  passwordChangeForcedCheck,
  userRiskCheck,
  sessionsRevokedCheck,
  managedPoliciesCheck,
  mandatoryMfaCheck,
  whatIfCheck,
  consentCheck,
] as const;

export type CheckId = (typeof REGISTRY)[number]["meta"]["id"];

type IdsOf<T extends readonly Check<string>[]> = { readonly [K in keyof T]: T[K]["meta"]["id"] };

function idsOf<const T extends readonly [Check<string>, ...Check<string>[]]>(checks: T): IdsOf<T> {
  // map keeps order and length, which is what the mapped tuple type says; TypeScript cannot see that.
  return checks.map((c) => c.meta.id) as unknown as IdsOf<T>;
}

/** Every check id in report order, as a literal tuple (zod's z.enum takes it as it is). */
export const CHECK_IDS = idsOf(REGISTRY);

/** Whether a (stored, typed-in) check id is one of the checks this version has. */
function isCheckId(id: string): id is CheckId {
  return Object.hasOwn(CHECKS, id);
}

/** The checks by id. */
export const CHECKS: Readonly<Record<CheckId, Check>> = Object.fromEntries(REGISTRY.map((c) => [c.meta.id, c])) as Record<CheckId, Check>;

/** The check of a stored id; undefined for a check this version no longer has. */
export const checkOf = (id: string): Check | undefined => (isCheckId(id) ? CHECKS[id] : undefined);

/** The facts the given checks read, each once, in the order first read: what a tenant must let Drift Monitor see. */
export function factsReadBy(checks: readonly Check<string>[] = REGISTRY): FactKey[] {
  return [...new Set(checks.flatMap((c) => c.meta.facts))];
}
