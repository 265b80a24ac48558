/**
 * A monitored account of a tenant: a connection account that automation signs in with, or an
 * emergency-access ("break-glass") account. Each has its own Monitor partition (state, snapshots,
 * outbox, acknowledgements, tickets), named by its stored `key`:
 *
 * - `""` for the tenant's first account: the partition is the tenant id, the one every tenant had
 *   when a tenant had exactly one account, so a stored estate upgrades without copying a row;
 * - otherwise 12 hex characters of the sha-256 of the lower-cased account reference at
 *   registration, kept from then on (a renamed UPN keeps its key): partition `{tenantId}|{key}`.
 *
 * The key is never derived again from the reference once stored: assignAccountKeys matches a
 * registration with the stored accounts by reference or object id, so re-importing or reordering
 * a tenant's accounts never hands one account's history to another.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export const ACCOUNT_KINDS = ["connection", "emergency-access"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** The profile an account of each kind is checked against unless it names one. */
export const DEFAULT_PROFILE_OF_KIND: Readonly<Record<AccountKind, string>> = {
  connection: "strict",
  "emergency-access": "emergency-access",
};

/** Words for people: "connection account", "emergency-access account". */
export const KIND_LABEL: Readonly<Record<AccountKind, string>> = {
  connection: "connection account",
  "emergency-access": "emergency-access account",
};

export const MAX_ACCOUNTS_PER_TENANT = 20;

const KEY = /^(|[0-9a-f]{12})$/;
export const accountKeySchema = z
  .string({ error: "key must be text" })
  .regex(KEY, { error: 'key must be "" (the tenant\'s first account) or 12 lower-case hex characters' });

/** The key a new account gets: stable, short, safe in a PartitionKey. */
export function newAccountKey(ref: string): string {
  return createHash("sha256").update(ref.trim().toLowerCase()).digest("hex").slice(0, 12);
}

/** The Monitor partition of one account. */
export function monitorPartition(tenantId: string, key: string): string {
  return key === "" ? tenantId : `${tenantId}|${key}`;
}

/** A Monitor partition back to its tenant and account key (a tenant id alone is the first account). */
export function parseMonitorPartition(partition: string): { tenantId: string; key: string } {
  const bar = partition.indexOf("|");
  return bar < 0 ? { tenantId: partition, key: "" } : { tenantId: partition.slice(0, bar), key: partition.slice(bar + 1) };
}

interface AccountRef {
  readonly ref: string;
  readonly objectId?: string | null | undefined;
}

const same = (a: AccountRef, b: AccountRef): boolean =>
  a.ref.toLowerCase() === b.ref.toLowerCase() || (!!a.objectId && !!b.objectId && a.objectId.toLowerCase() === b.objectId.toLowerCase());

/**
 * Keys for a registration's accounts (any key the caller sent is ignored: keys are the store's).
 * A stored account (same reference or object id) keeps its key, and its cached object id while the
 * reference is the same; a new one gets newAccountKey, except that a tenant registered for the
 * first time (`stored` undefined) gives its first account "": its partition is the tenant id. Pure.
 */
export function assignAccountKeys<T extends AccountRef>(
  incoming: readonly T[],
  stored: readonly (AccountRef & { readonly key: string })[] | undefined,
): (T & { key: string; objectId: string | null })[] {
  const taken = new Set<string>();
  return incoming.map((account, i) => {
    const match = stored?.find((s) => !taken.has(s.key) && same(s, account));
    let key = match ? match.key : stored === undefined && i === 0 ? "" : newAccountKey(account.ref);
    // Two references that hash alike, or a new account whose hash a stored one holds: keys never collide.
    for (let n = 1; taken.has(key) || (!match && key !== "" && stored?.some((s) => s.key === key)); n++) key = newAccountKey(`${account.ref}#${n}`);
    taken.add(key);
    const sameRef = match !== undefined && match.ref.toLowerCase() === account.ref.toLowerCase();
    const objectId = account.objectId ?? (sameRef ? (match.objectId ?? null) : null);
    return { ...account, key, objectId };
  });
}
