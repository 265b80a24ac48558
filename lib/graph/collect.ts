/**
 * collectFacts: every fact of the design's Graph table for one tenant's connection account, in
 * as few round trips as Graph allows: one v1.0 `$batch` and one beta `$batch`, sent together
 * (plus a `GET /users/{ref}` first when the object id is not known yet, follow-up batches only
 * for next pages and throttled sub-requests, and one more round for the facts read only when due
 * that the batches' answers call for). Each fact succeeds or fails on its own; a fact not due
 * holds its carried value, marked as such (lib/graph/facts/due.ts).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { AppPermissionsFact, Fact, FactKey, TenantFacts, WarnDays } from "../model/facts.js";
import type { BackoffPolicy } from "../retry/backoff.js";
import type { DayCache, DomainCache } from "./domain-cache.js";
import { runBatch, type BatchItem, type ItemResult } from "./batch.js";
import { dependencyFailure, networkFailure, tokenFailure, type FactFailure } from "./errors.js";
import { factFromResult, mergeAnswers } from "./fact-result.js";
import { dueReads, DEFAULT_READ_PERIODS } from "./collect-due.js";
import type { PreviousRun, ReadPeriods } from "./facts/due.js";
import { FACTS, FACT_KEYS, accountUrl, factRecord, type FactValue, type UrlContext } from "./facts/index.js";
import type { GraphPacer } from "./pacing.js";
import { requiredPermissions } from "./permissions.js";
import { TokenAcquisitionError, graphTransport, type RawAnswer, type Transport } from "./transport.js";

export interface CollectTarget {
  readonly tenantId: string;
  /** UPN or object id the tenant registered. */
  readonly accountRef: string;
  /** Cached object id from an earlier run: saves the `GET /users/{ref}` round trip. */
  readonly accountObjectId?: string;
}

export interface CollectOptions {
  readonly now: Date;
  readonly signInLookbackHours: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** GRAPH_ENDPOINT: next links to any other host are refused. */
  readonly graphEndpoint?: string;
  readonly backoff?: BackoffPolicy;
  /** Paces batches under Graph's CA and report budgets (shared by every check in the process). */
  readonly pacer?: Pick<GraphPacer, "forTenant">;
  /** The domain lists read in the last day (per process): a fresh one is not requested again. */
  readonly domainCache?: DomainCache;
  /** The app's client id: it reads its own service principal's grants (absent: they are not read, and not compared). */
  readonly appId?: string;
  /** The grants read in the last day (per process): fresh ones are not requested again. */
  readonly grantsCache?: DayCache<AppPermissionsFact>;
  /** PASSWORD_EXPIRY_WARN_DAYS and MANAGED_POLICY_WARN_DAYS, handed to the checks with the facts. */
  readonly warnDays?: WarnDays;
  /**
   * What the last recorded run stored for the tenant (null: nothing yet, its first run), which the
   * facts read only when due decide from (lib/graph/facts/due.ts). Absent: the caller keeps no
   * state, so they are all read, and in the batches, as on a first run.
   */
  readonly previous?: PreviousRun | null;
  /** REGISTRATION_REPORT_HOURS and SIGNIN_CONTEXT_HOURS / _DAYS (default: the report every run, the contexts' defaults). */
  readonly periods?: ReadPeriods;
}

export interface CollectResult {
  readonly facts: TenantFacts;
  /** HTTP requests sent to Graph (token requests not included). */
  readonly roundTrips: number;
}

type FactMap = { -readonly [K in FactKey]?: Fact<FactValue<K>> };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Facts that do not depend on the account: read even when the account is missing. */
const TENANT_WIDE: readonly FactKey[] = FACT_KEYS.filter((k) => k !== "account" && !FACTS[k].needsObjectId);
const PER_ACCOUNT: readonly FactKey[] = FACT_KEYS.filter((k) => FACTS[k].needsObjectId);

export async function collectFacts(client: Client, target: CollectTarget, options: CollectOptions): Promise<CollectResult> {
  const transport = graphTransport(client);
  const facts: FactMap = {};
  const batchOptions = {
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    backoff: options.backoff,
    endpoint: options.graphEndpoint,
    pacer: options.pacer?.forTenant(target.tenantId),
  };
  const since = new Date(options.now.getTime() - options.signInLookbackHours * 3_600_000).toISOString();
  const ref = target.accountRef.trim();
  const refIsId = GUID.test(ref);
  const due = dueReads(options.previous, { now: options.now, periods: options.periods ?? DEFAULT_READ_PERIODS });

  // An account registered by object id needs no lookup: it is its own object id.
  const knownId = target.accountObjectId ?? (refIsId ? ref.toLowerCase() : undefined);
  let objectId = knownId;
  if (!objectId) {
    const account = await readAccountByRef(transport, target.accountRef);
    facts.account = account;
    if (account.ok && account.value) objectId = account.value.id;
  }

  const cachedDomains = options.domainCache?.get(target.tenantId, options.now);
  if (cachedDomains) facts.domainPasswordPolicies = { ok: true, value: cachedDomains };
  const cachedGrants = options.grantsCache?.get(target.tenantId, options.now);
  if (cachedGrants) facts.appPermissions = { ok: true, value: cachedGrants };
  if (!options.appId) facts.appPermissions = { ok: false, code: "unavailable", reason: "The application's client id is not configured" };
  const perAccount = PER_ACCOUNT.filter((k) => due.batched.has(k));
  // A domain list or grants read in the last day are not asked for again; a fact not due is not either.
  const tenantWide = TENANT_WIDE.filter((k) => due.batched.has(k) && !(k in facts));
  /** Reads the facts in one v1.0 and one beta batch, sent together, for the given object id. */
  const readBatches = async (keys: readonly FactKey[], id: string): Promise<void> => {
    const ctx: UrlContext = { objectId: id, signInsSince: since, contextsSince: due.contextsSince, read: { ...facts }, appId: options.appId };
    const [v1, beta] = await Promise.all(
      (["v1.0", "beta"] as const).map((v) => {
        const items = keys.filter((k) => FACTS[k].version === v).flatMap((k) => batchItems(k, ctx));
        return items.length > 0 ? runBatch(transport, v, items, batchOptions) : Promise.resolve(new Map<string, ItemResult>());
      }),
    );
    const results = new Map([...(v1 ?? []), ...(beta ?? [])]);
    for (const key of keys)
      assign(
        facts,
        key,
        FACTS[key].requests(ctx).map((r) => results.get(r.id)),
      );
  };

  // With the id known up front, the account itself rides in the v1.0 batch.
  await readBatches(objectId ? [...(knownId ? (["account"] as const) : []), ...tenantWide, ...perAccount] : [...tenantWide], objectId ?? "");
  const domains = facts.domainPasswordPolicies;
  if (!cachedDomains && domains?.ok) options.domainCache?.put(target.tenantId, domains.value, options.now);
  const grants = facts.appPermissions;
  if (!cachedGrants && grants?.ok) options.grantsCache?.put(target.tenantId, grants.value, options.now);

  // A cached object id that answers 404 is stale when the account was deleted and re-created
  // under the same UPN: look the UPN up in this very run and, if it is there, read the
  // per-account facts again with its new id (the result carries it, so the runner caches it).
  // Only in this case does a run cost the extra round trips; never "account missing" by mistake.
  if (target.accountObjectId && !refIsId && facts.account?.ok === true && facts.account.value === null) {
    const account = await readAccountByRef(transport, target.accountRef);
    facts.account = account;
    for (const key of PER_ACCOUNT) delete facts[key];
    objectId = account.ok && account.value ? account.value.id : undefined;
    if (objectId) await readBatches(perAccount, objectId);
  }

  // An account that answered 404: the per-account answers (if any were asked) are 404s about
  // the same missing user, which say nothing more.
  const accountMissing = facts.account?.ok === true && facts.account.value === null;
  const readable = (key: FactKey): boolean => !FACTS[key].needsObjectId || (objectId !== undefined && !accountMissing);
  // The facts not due before the batches that what the batches read now calls for: one more round trip for all of them.
  const later = due.later.filter((key) => readable(key) && due.readAfter(key, facts));
  if (later.length > 0) await readBatches(later, objectId ?? "");
  for (const key of due.later) if (readable(key) && !later.includes(key)) due.carry(key, facts);
  due.fold(facts);
  for (const key of PER_ACCOUNT) {
    if (accountMissing) setFailed(facts, key, dependencyFailure(FACTS[key], "the account does not exist (Graph answered 404)"));
    else if (!facts[key]) setFailed(facts, key, dependencyFailure(FACTS[key], "the account's object id is unknown because the account could not be read"));
  }

  return {
    facts: {
      tenantId: target.tenantId,
      collectedAt: options.now.toISOString(),
      accountRef: target.accountRef,
      ...factRecord((key) => facts[key] ?? unread(key)),
      signInLookbackHours: options.signInLookbackHours,
      ...(options.appId ? { requiredPermissions: requiredPermissions() } : {}),
      ...(options.warnDays ? { warnDays: options.warnDays } : {}),
    },
    roundTrips: transport.roundTrips,
  };
}

/**
 * A failure for one fact. Generic over the key alone: assigning through a union of every key makes
 * TypeScript build a union of every fact's type, which grows past what it can represent as facts are added.
 */
function setFailed<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, failure: FactFailure): void {
  facts[key] = failure;
}

/** The batch items a fact is read with (one per request, each taking a slot of its budget). */
function batchItems(key: FactKey, ctx: UrlContext): BatchItem[] {
  const { paged, budget } = FACTS[key];
  return FACTS[key].requests(ctx).map((r) => ({ id: r.id, url: r.url, paged, budget }));
}

/** A fact the run produced nothing for: the account when it was not asked, any other only by a bug. */
function unread(key: FactKey): Fact<never> {
  if (key === "account") return dependencyFailure(FACTS.account, "it was not requested");
  // Every other key is assigned above; this only guards the type.
  return { ok: false, code: "unavailable", reason: "The collector did not produce this fact (a bug)" };
}

async function readAccountByRef(transport: Transport, ref: string): Promise<TenantFacts["account"]> {
  const definition = FACTS.account;
  let answer: RawAnswer;
  try {
    answer = await transport.get(definition.version, accountUrl(ref));
  } catch (error) {
    return error instanceof TokenAcquisitionError ? tokenFailure(definition, error.message, error.aadsts) : networkFailure(definition, error);
  }
  const { status, body } = answer;
  const result: ItemResult = status >= 200 && status < 300 ? { ok: true, status, body } : { ok: false, kind: "http", status, body, attempts: 1 };
  return factFromResult(definition, result);
}

/** Turns a fact's answers (one per request) into the fact; no answer leaves it unset. */
function assign<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, answers: readonly (ItemResult | undefined)[]): void {
  // Typed over K alone (not every key), so TypeScript pairs the key with its own fact type.
  const result = mergeAnswers(answers);
  if (result) facts[key] = factFromResult(FACTS[key], result);
}
