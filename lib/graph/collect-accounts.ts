/**
 * collectAccounts: the facts of every monitored account of one tenant, for the runner to judge
 * and record account by account. Each account's TenantFacts is what collectFacts gives for it.
 *
 * This version reads each account with its own collectFacts (the tenant-wide facts are read once
 * per account): correct, not yet economical. The shared collection — tenant-wide facts read once,
 * one sign-in request naming every account — keeps this interface.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AccountKind } from "../model/account.js";
import type { TenantFacts } from "../model/facts.js";
import { collectFacts, type CollectOptions } from "./collect.js";
import type { PreviousRun } from "./facts/due.js";

export interface CollectAccount {
  /** The account's stored key ("" for the tenant's first). */
  readonly key: string;
  /** UPN or object id as registered. */
  readonly ref: string;
  /** Cached object id from an earlier run: saves the lookup by reference. */
  readonly objectId?: string;
  readonly kind: AccountKind;
  /** What the account's last recorded run stored (null: its first run; absent: the caller keeps no state, so everything is read). */
  readonly previous?: PreviousRun | null;
}

export interface AccountsCollectResult {
  /** Each account's facts, by its key. */
  readonly byAccount: ReadonlyMap<string, TenantFacts>;
  /** HTTP requests sent to Graph for the whole tenant (token requests not included). */
  readonly roundTrips: number;
}

export async function collectAccounts(
  client: Client,
  target: { readonly tenantId: string; readonly accounts: readonly CollectAccount[] },
  options: Omit<CollectOptions, "previous">,
): Promise<AccountsCollectResult> {
  const byAccount = new Map<string, TenantFacts>();
  let roundTrips = 0;
  for (const account of target.accounts) {
    const result = await collectFacts(
      client,
      { tenantId: target.tenantId, accountRef: account.ref, ...(account.objectId ? { accountObjectId: account.objectId } : {}) },
      { ...options, ...(account.previous !== undefined ? { previous: account.previous } : {}) },
    );
    byAccount.set(account.key, result.facts);
    roundTrips += result.roundTrips;
  }
  return { byAccount, roundTrips };
}
