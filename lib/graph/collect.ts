/**
 * collectFacts: every fact of the design's Graph table for one tenant's connection account: the
 * one-account case of collectAccounts (lib/graph/collect-accounts.ts), so one account and several
 * are read by the same code. One v1.0 `$batch` and one beta `$batch`, sent together (plus a
 * `GET /users/{ref}` first when the object id is not known yet, follow-up batches only for next
 * pages and throttled sub-requests, and one more round for the facts read only when due that the
 * batches' answers call for). Each fact succeeds or fails on its own; a fact not due holds its
 * carried value, marked as such (lib/graph/facts/due.ts).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { TenantFacts } from "../model/facts.js";
import { collectAccounts } from "./collect-accounts.js";
import type { CollectOptions } from "./collect-options.js";

export type { CollectOptions } from "./collect-options.js";

export interface CollectTarget {
  readonly tenantId: string;
  /** UPN or object id the tenant registered. */
  readonly accountRef: string;
  /** Cached object id from an earlier run: saves the `GET /users/{ref}` round trip. */
  readonly accountObjectId?: string;
}

export interface CollectResult {
  readonly facts: TenantFacts;
  /** HTTP requests sent to Graph (token requests not included). */
  readonly roundTrips: number;
}

export async function collectFacts(client: Client, target: CollectTarget, options: CollectOptions): Promise<CollectResult> {
  const { previous, ...rest } = options;
  const account = {
    key: "",
    ref: target.accountRef,
    kind: "connection" as const,
    everySignIn: false,
    ...(target.accountObjectId ? { objectId: target.accountObjectId } : {}),
    ...(previous === undefined ? {} : { previous }),
  };
  const { byAccount, roundTrips } = await collectAccounts(client, { tenantId: target.tenantId, accounts: [account] }, rest);
  const facts = byAccount.get("");
  if (!facts) throw new Error("collectFacts: the collector returned no facts for the account");
  return { facts, roundTrips };
}
