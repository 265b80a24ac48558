/**
 * Clause 1: does the policy's user scope take the account? Include by `All`, the account's id,
 * a transitive group or an active role; exclusion by user, group or role always wins. `None` and
 * guest targeting never take a member account. Incomplete membership facts make a miss uncertain,
 * so the answer is three-valued.
 */
import type { CaPolicy, CaUsers } from "../../model/index.js";
import { roleName } from "../well-known.js";
import type { AccountContext, KnownSet } from "./account-context.js";

type UserScope =
  | { readonly kind: "included"; readonly via: string }
  | { readonly kind: "excluded"; readonly via: string }
  | { readonly kind: "not-targeted"; readonly why: string }
  | { readonly kind: "unknown"; readonly why: string };

type Match = { readonly kind: "hit"; readonly via: string } | { readonly kind: "miss" } | { readonly kind: "unknown"; readonly gap: string };

const MISS: Match = { kind: "miss" };

function list(values: readonly string[] | null | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === "string").map((v) => v.toLowerCase());
}

function matchSet(ids: readonly string[], set: KnownSet, describe: (id: string, name: string | null) => string): Match {
  for (const id of ids) {
    if (set.names.has(id)) return { kind: "hit", via: describe(id, set.names.get(id) ?? null) };
  }
  if (ids.length > 0 && !set.complete) return { kind: "unknown", gap: set.gap ?? "membership could not be read" };
  return MISS;
}

const groupLabel = (id: string, name: string | null): string => `group ${name ?? id}`;
const roleLabel = (id: string, name: string | null): string => `role ${roleName(id, name)}`;

/** The first certain hit wins; otherwise any uncertainty; otherwise a miss. */
function firstOf(matches: readonly Match[]): Match {
  const hit = matches.find((m) => m.kind === "hit");
  if (hit) return hit;
  return matches.find((m) => m.kind === "unknown") ?? MISS;
}

function targetsGuests(users: CaUsers, includeUsers: readonly string[]): boolean {
  return includeUsers.includes("guestsorexternalusers") || (users.includeGuestsOrExternalUsers ?? null) !== null;
}

function notTargetedWhy(users: CaUsers, includeUsers: readonly string[]): string {
  const onlyNone = includeUsers.length > 0 && includeUsers.every((u) => u === "none");
  const hasGroupsOrRoles = list(users.includeGroups).length > 0 || list(users.includeRoles).length > 0;
  if (onlyNone && !hasGroupsOrRoles) return "targets no users (None)";
  if (targetsGuests(users, includeUsers) && !hasGroupsOrRoles && includeUsers.every((u) => u === "guestsorexternalusers" || u === "none")) {
    return "targets only guests or external users; the account is a member";
  }
  return "the account is not among its included users, groups or roles";
}

export function evaluateUsers(policy: CaPolicy, ctx: AccountContext): UserScope {
  const users = policy.conditions?.users ?? null;
  if (users === null) return { kind: "not-targeted", why: "targets workload identities only (no users condition)" };

  const includeUsers = list(users.includeUsers);
  const include = firstOf([
    includeUsers.includes("all") ? { kind: "hit", via: "all users" } : MISS,
    includeUsers.includes(ctx.accountId) ? { kind: "hit", via: "user (the account itself)" } : MISS,
    matchSet(list(users.includeGroups), ctx.groups, groupLabel),
    matchSet(list(users.includeRoles), ctx.roles, roleLabel),
  ]);
  if (include.kind === "miss") return { kind: "not-targeted", why: notTargetedWhy(users, includeUsers) };

  // Guest exclusions (`GuestsOrExternalUsers`, excludeGuestsOrExternalUsers) never remove a member account.
  const exclude = firstOf([
    list(users.excludeUsers).includes(ctx.accountId) ? { kind: "hit", via: "user (the account itself)" } : MISS,
    matchSet(list(users.excludeGroups), ctx.groups, groupLabel),
    matchSet(list(users.excludeRoles), ctx.roles, roleLabel),
  ]);
  if (exclude.kind === "hit") return { kind: "excluded", via: exclude.via };
  if (include.kind === "unknown") {
    return { kind: "unknown", why: `may include the account through groups or roles, but ${include.gap}` };
  }
  if (exclude.kind === "unknown") {
    return { kind: "unknown", why: `included via ${include.via}; whether an excluded group or role removes it is unknown: ${exclude.gap}` };
  }
  return { kind: "included", via: include.via };
}
