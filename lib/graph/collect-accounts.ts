/**
 * collectAccounts: every fact of the design's Graph table for every monitored account of one
 * tenant, in as few round trips as Graph allows. The facts that do not depend on an account (the
 * policies, security defaults, named locations, registration campaign, domains, the app's grants)
 * are read once and shared by every account's TenantFacts; each account's own facts are read for
 * it; the sign-ins are ONE request naming every account, split back by `userId`. It all goes in
 * one v1.0 and one beta `$batch` round, sent together and split by 20 (plus the accounts looked up
 * first when their object id is not known yet, follow-up batches only for next pages and throttled
 * sub-requests, and one more round for the facts read only when due that the first round calls
 * for). The facts read only when due are decided per account from its own previous run; a shared
 * one is read when any account's run calls for it. Each fact succeeds or fails on its own, and an
 * account that cannot be read fails only its own facts.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AccountKind } from "../model/account.js";
import type { Fact, FactKey, TenantFacts } from "../model/facts.js";
import type { CollectOptions } from "./collect-options.js";
import { dueReads, DEFAULT_READ_PERIODS } from "./collect-due.js";
import { copyFact, lookUpAccounts, readRound, type FactMap, type RoundAccount, type RoundContext } from "./collect-round.js";
import { dependencyFailure, type FactFailure } from "./errors.js";
import type { PreviousRun } from "./facts/due.js";
import { FACTS, FACT_KEYS, factRecord, type FactValue } from "./facts/index.js";
import { requiredPermissions } from "./permissions.js";
import { graphTransport } from "./transport.js";

export interface CollectAccount {
  readonly key: string;
  /** UPN or object id the account was registered with. */
  readonly ref: string;
  /** Cached object id from an earlier run: saves looking the account up. */
  readonly objectId?: string;
  readonly kind: AccountKind;
  /**
   * Every sign-in is read, successes too, not only the failures: the account's profile mails each
   * sign-in (`signInNotices: "every"`). The profile decides, not the kind: an imported account can
   * be a connection account with the emergency-access profile.
   */
  readonly everySignIn: boolean;
  /** What the account's last recorded run stored (null: its first run; absent: the caller keeps no state, everything is read). */
  readonly previous?: PreviousRun | null;
}

export interface AccountsCollectResult {
  /** Each account's facts, by account key. */
  readonly byAccount: ReadonlyMap<string, TenantFacts>;
  /** HTTP requests sent to Graph for the whole tenant (token requests not included). */
  readonly roundTrips: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Facts that do not depend on the account: read once per tenant, even when no account can be read. */
const TENANT_WIDE: readonly FactKey[] = FACT_KEYS.filter((k) => k !== "account" && !FACTS[k].needsObjectId);
const PER_ACCOUNT: readonly FactKey[] = FACT_KEYS.filter((k) => FACTS[k].needsObjectId);

/** One account's collection in progress. */
interface AccountRun {
  readonly account: CollectAccount;
  readonly index: number;
  readonly refIsId: boolean;
  /** Known before anything is read: cached, or the reference is itself an object id. */
  readonly knownId: string | undefined;
  objectId: string | undefined;
  readonly facts: FactMap;
  readonly due: ReturnType<typeof dueReads>;
}

export async function collectAccounts(
  client: Client,
  target: { tenantId: string; accounts: readonly CollectAccount[] },
  options: Omit<CollectOptions, "previous">,
): Promise<AccountsCollectResult> {
  if (target.accounts.length === 0) throw new Error("collectAccounts: a tenant has at least one account");
  const transport = graphTransport(client);
  const periods = options.periods ?? DEFAULT_READ_PERIODS;
  const runs: AccountRun[] = target.accounts.map((account, index) => {
    const ref = account.ref.trim();
    const refIsId = GUID.test(ref);
    // An account registered by object id needs no lookup: it is its own object id.
    const knownId = account.objectId ?? (refIsId ? ref.toLowerCase() : undefined);
    // The account's key goes with its previous run: its periodic reads have an offset of their own.
    const previous = account.previous ? { ...account.previous, accountKey: account.key } : account.previous;
    const due = dueReads(previous, { now: options.now, periods });
    return { account, index, refIsId, knownId, objectId: knownId, facts: {}, due };
  });
  const rc: RoundContext = {
    transport,
    batch: {
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      backoff: options.backoff,
      endpoint: options.graphEndpoint,
      pacer: options.pacer?.forTenant(target.tenantId),
    },
    signInsSince: new Date(options.now.getTime() - options.signInLookbackHours * 3_600_000).toISOString(),
    contextsSince: runs[0]?.due.contextsSince ?? "",
    appId: options.appId,
  };

  await lookUp(
    rc,
    runs.filter((r) => !r.knownId),
  );

  const shared: FactMap = {};
  const cachedDomains = options.domainCache?.get(target.tenantId, options.now);
  if (cachedDomains) shared.domainPasswordPolicies = { ok: true, value: cachedDomains };
  const cachedGrants = options.grantsCache?.get(target.tenantId, options.now);
  if (cachedGrants) shared.appPermissions = { ok: true, value: cachedGrants };
  if (!options.appId) shared.appPermissions = { ok: false, code: "unavailable", reason: "The application's client id is not configured" };
  share(shared, runs, FACT_KEYS);

  // A domain list or grants read in the last day are not asked for again; a fact not due for any account is not either.
  const tenantWide = TENANT_WIDE.filter((k) => runs.some((r) => r.due.batched.has(k)) && !(k in shared));
  const firstKeys = (r: AccountRun): FactKey[] => [...(r.knownId ? (["account"] as const) : []), ...PER_ACCOUNT.filter((k) => r.due.batched.has(k))];
  await readRound({ tenantWide, shared, accounts: roundAccounts(runs, firstKeys) }, rc);
  share(shared, runs, tenantWide);
  const domains = shared.domainPasswordPolicies;
  if (!cachedDomains && domains?.ok) options.domainCache?.put(target.tenantId, domains.value, options.now);
  const grants = shared.appPermissions;
  if (!cachedGrants && grants?.ok) options.grantsCache?.put(target.tenantId, grants.value, options.now);

  await rereadStale(rc, runs);

  // The facts not due before the batches that what the batches read now calls for: one more round for all of them.
  const sharedLater = TENANT_WIDE.filter((k) => !tenantWide.includes(k) && runs.some((r) => r.due.later.includes(k) && r.due.readAfter(k, r.facts)));
  const laterOf = new Map(runs.map((r) => [r, r.due.later.filter((k) => FACTS[k].needsObjectId && readable(r, k) && r.due.readAfter(k, r.facts))]));
  if (sharedLater.length > 0 || [...laterOf.values()].some((keys) => keys.length > 0)) {
    await readRound({ tenantWide: sharedLater, shared, accounts: roundAccounts(runs, (r) => laterOf.get(r) ?? []) }, rc);
    share(shared, runs, sharedLater);
  }

  const byAccount = new Map<string, TenantFacts>();
  for (const r of runs) {
    // A shared fact read for another account's sake is read for this one too: it is not carried.
    const readNow = [...tenantWide, ...sharedLater, ...(laterOf.get(r) ?? [])];
    for (const key of r.due.later) if (readable(r, key) && !readNow.includes(key)) r.due.carry(key, r.facts);
    r.due.fold(r.facts);
    settleUnread(r);
    byAccount.set(r.account.key, tenantFactsOf(target.tenantId, r, options));
  }
  return { byAccount, roundTrips: transport.roundTrips };
}

/** The accounts whose object id is not known yet, looked up by their reference (all of them in one round). */
async function lookUp(rc: RoundContext, runs: readonly AccountRun[]): Promise<void> {
  const found = await lookUpAccounts(
    rc,
    runs.map((r) => ({ index: r.index, ref: r.account.ref })),
  );
  for (const r of runs) {
    const account = found.get(r.index);
    if (!account) continue;
    r.facts.account = account;
    r.objectId = account.ok && account.value ? account.value.id : undefined;
  }
}

/**
 * A cached object id that answers 404 is stale when the account was deleted and re-created under
 * the same UPN: look the UPN up in this very run and, if it is there, read its own facts again with
 * its new id (the result carries it, so the runner caches it). Only then does a run cost the extra
 * round trips; never "account missing" by mistake.
 */
async function rereadStale(rc: RoundContext, runs: readonly AccountRun[]): Promise<void> {
  const stale = runs.filter((r) => r.account.objectId && !r.refIsId && accountMissing(r));
  if (stale.length === 0) return;
  for (const r of stale) for (const key of PER_ACCOUNT) delete r.facts[key];
  await lookUp(rc, stale);
  const again = (r: AccountRun): FactKey[] => PER_ACCOUNT.filter((k) => r.due.batched.has(k));
  await readRound({ tenantWide: [], shared: {}, accounts: roundAccounts(stale, again) }, rc);
}

/** The accounts with an object id, each with the keys it is asked for in a round. */
function roundAccounts(runs: readonly AccountRun[], keysOf: (r: AccountRun) => readonly FactKey[]): RoundAccount[] {
  return runs.flatMap((r) => {
    const keys = keysOf(r);
    if (!r.objectId || keys.length === 0) return [];
    return [{ index: r.index, objectId: r.objectId, everySignIn: r.account.everySignIn, facts: r.facts, keys }];
  });
}

/** The shared facts read (or cached) handed to every account. */
function share(shared: FactMap, runs: readonly AccountRun[], keys: readonly FactKey[]): void {
  for (const r of runs) for (const key of keys) copyFact(r.facts, shared, key);
}

/** An account that answered 404: its own answers (if any were asked) are 404s about the same missing user. */
function accountMissing(r: AccountRun): boolean {
  return r.facts.account?.ok === true && r.facts.account.value === null;
}

function readable(r: AccountRun, key: FactKey): boolean {
  return !FACTS[key].needsObjectId || (r.objectId !== undefined && !accountMissing(r));
}

/** The account's own facts it could not read, each with why. */
function settleUnread(r: AccountRun): void {
  const missing = accountMissing(r);
  for (const key of PER_ACCOUNT) {
    if (missing) setFailed(r.facts, key, dependencyFailure(FACTS[key], "the account does not exist (Graph answered 404)"));
    else if (!r.facts[key]) setFailed(r.facts, key, dependencyFailure(FACTS[key], "the account's object id is unknown because the account could not be read"));
  }
}

function tenantFactsOf(tenantId: string, r: AccountRun, options: Omit<CollectOptions, "previous">): TenantFacts {
  return {
    tenantId,
    collectedAt: options.now.toISOString(),
    accountRef: r.account.ref,
    ...factRecord((key) => r.facts[key] ?? unread(key)),
    signInLookbackHours: options.signInLookbackHours,
    ...(options.appId ? { requiredPermissions: requiredPermissions() } : {}),
    ...(options.warnDays ? { warnDays: options.warnDays } : {}),
  };
}

/**
 * A failure for one fact. Generic over the key alone: assigning through a union of every key makes
 * TypeScript build a union of every fact's type, which grows past what it can represent as facts are added.
 */
function setFailed<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, failure: FactFailure): void {
  facts[key] = failure;
}

/** A fact the run produced nothing for: the account when it was not asked, any other only by a bug. */
function unread(key: FactKey): Fact<never> {
  if (key === "account") return dependencyFailure(FACTS.account, "it was not requested");
  // Every other key is assigned above; this only guards the type.
  return { ok: false, code: "unavailable", reason: "The collector did not produce this fact (a bug)" };
}
