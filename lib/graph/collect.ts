/**
 * collectFacts: every fact of the design's Graph table for one tenant's connection account, in
 * as few round trips as Graph allows: one v1.0 `$batch` and one beta `$batch`, sent together
 * (plus a `GET /users/{ref}` first when the object id is not known yet, and follow-up batches
 * only for next pages and throttled sub-requests). Each fact succeeds or fails on its own.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { Fact, FactKey, TenantFacts, WarnDays } from "../model/facts.js";
import type { BackoffPolicy } from "../retry/backoff.js";
import type { DomainCache } from "./domain-cache.js";
import { runBatch, type BatchItem, type ItemResult } from "./batch.js";
import { dependencyFailure, networkFailure, tokenFailure, type FactFailure } from "./errors.js";
import { factFromResult, mergeAnswers } from "./fact-result.js";
import { FACTS, FACT_KEYS, accountUrl, factRecord, type FactValue, type UrlContext } from "./facts/index.js";
import type { GraphPacer } from "./pacing.js";
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
  /** Whether to read the registration report (default: read). */
  readonly registrationReport?: RegistrationReportOption;
  /** The domain lists read in the last day (per process): a fresh one is not requested again. */
  readonly domainCache?: DomainCache;
  /** PASSWORD_EXPIRY_WARN_DAYS and MANAGED_POLICY_WARN_DAYS, handed to the checks with the facts. */
  readonly warnDays?: WarnDays;
  /** Sign-in contexts and named locations: read when due, else carried (default: read both). */
  readonly observations?: ObservationsOption;
}

/** The facts read only when due (lib/runner/observations.ts decides; this only obeys). */
export type ObservedKey = "signInContexts" | "namedLocations";

/**
 * `carried`: facts left out of the batches, the value last read standing in for them. `readIf`,
 * asked once the batches are in, may still want some read (one more round trip: a sign-in failure
 * appeared, a policy names a location not known yet). `contextsSince`: the window of the contexts.
 */
export interface ObservationsOption {
  readonly contextsSince: string;
  readonly carried: { readonly [K in ObservedKey]?: Fact<FactValue<K>> };
  readonly readIf?: (read: { readonly [K in FactKey]?: Fact<FactValue<K>> }) => readonly ObservedKey[];
}

/**
 * The registration report draws on the reports budget (5 per 10 s per tenant, 122 per 10 s for the
 * app), yet says nothing the methods list has not already said unless the methods changed. `skip`
 * leaves it out of the batch and puts the caller's `carried` fact (the value last read) in its
 * place, unless `readIf`, asked once the methods are in, wants it read after all (one more round
 * trip, e.g. when the methods changed or could not be read and the report is the fallback).
 */
export type RegistrationReportOption =
  | { readonly mode: "read" }
  | {
      readonly mode: "skip";
      readonly carried: TenantFacts["registrationDetails"];
      readonly readIf?: (authMethods: TenantFacts["authMethods"]) => boolean;
    };

export interface CollectResult {
  readonly facts: TenantFacts;
  /** HTTP requests sent to Graph (token requests not included). */
  readonly roundTrips: number;
  /** Whether the registration report was requested this run, or carried over (`skip`). */
  readonly registrationReport?: "read" | "carried";
}

type FactMap = { -readonly [K in FactKey]?: Fact<FactValue<K>> };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Facts that do not depend on the account: read even when the account is missing. */
const TENANT_WIDE: readonly FactKey[] = FACT_KEYS.filter((k) => k !== "account" && !FACTS[k].needsObjectId);
const PER_ACCOUNT: readonly FactKey[] = FACT_KEYS.filter((k) => FACTS[k].needsObjectId);
/** Facts read after the batches, only when what they read calls for them (FactDefinition.followUp). */
const FOLLOW_UPS: readonly FactKey[] = FACT_KEYS.filter((k) => FACTS[k].followUp);

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
  const report = options.registrationReport ?? { mode: "read" };
  const observed = options.observations;
  const carriedKeys = new Set<FactKey>(Object.keys(observed?.carried ?? {}) as ObservedKey[]);
  const perAccount = PER_ACCOUNT.filter(
    (k) => !(report.mode === "skip" && k === "registrationDetails") && !carriedKeys.has(k) && !FOLLOW_UPS.includes(k),
  );
  // A domain list read in the last day is not asked for again (issue 15); carried observations neither.
  const tenantWide = TENANT_WIDE.filter((k) => !carriedKeys.has(k) && !(cachedDomains && k === "domainPasswordPolicies"));
  /** Reads the facts in one v1.0 and one beta batch, sent together, for the given object id. */
  const readBatches = async (keys: readonly FactKey[], id: string, extra: Partial<UrlContext> = {}): Promise<void> => {
    const ctx = { ...extra, objectId: id, signInsSince: since, ...(observed ? { contextsSince: observed.contextsSince } : {}) };
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
  let reportState: CollectResult["registrationReport"] = objectId && !accountMissing ? "read" : undefined;
  if (report.mode === "skip" && objectId && !accountMissing) {
    const methods = facts.authMethods ?? dependencyFailure(FACTS.authMethods, "it was not read");
    if (report.readIf?.(methods)) {
      await readBatches(["registrationDetails"], objectId);
    } else {
      facts.registrationDetails = report.carried;
      reportState = "carried";
    }
  }
  if (observed) await readObserved(observed, facts, carriedKeys, objectId && !accountMissing ? objectId : undefined, readBatches);
  if (objectId && !accountMissing) await readFollowUps(facts, objectId, readBatches);
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
      ...(options.warnDays ? { warnDays: options.warnDays } : {}),
    },
    roundTrips: transport.roundTrips,
    ...(reportState ? { registrationReport: reportState } : {}),
  };
}

/** The observed facts asked for after the batches are read now; the others take the carried value. */
async function readObserved(
  observed: ObservationsOption,
  facts: FactMap,
  carriedKeys: ReadonlySet<FactKey>,
  objectId: string | undefined,
  readBatches: (keys: readonly FactKey[], id: string) => Promise<void>,
): Promise<void> {
  const wanted = (observed.readIf?.(facts) ?? []).filter((k) => carriedKeys.has(k) && (objectId !== undefined || !FACTS[k].needsObjectId));
  if (wanted.length > 0) await readBatches(wanted, objectId ?? "");
  if (observed.carried.signInContexts && !facts.signInContexts) facts.signInContexts = observed.carried.signInContexts;
  if (observed.carried.namedLocations && !facts.namedLocations) facts.namedLocations = observed.carried.namedLocations;
}

/** Each follow-up fact its batches call for is read now (one round trip for all of them); the others hold their idle value. */
async function readFollowUps(
  facts: FactMap,
  objectId: string,
  readBatches: (keys: readonly FactKey[], id: string, extra?: Partial<UrlContext>) => Promise<void>,
): Promise<void> {
  const due: [FactKey, Partial<UrlContext>][] = [];
  for (const key of FOLLOW_UPS) {
    const followUp = FACTS[key].followUp;
    if (!followUp) continue;
    const failed = followUp.after.find((dep) => facts[dep]?.ok !== true);
    if (failed) {
      setFailed(facts, key, dependencyFailure(FACTS[key], `${FACTS[failed].subject} could not be read`));
      continue;
    }
    const wanted = followUp.when(facts);
    if (wanted) due.push([key, wanted]);
    else setIdle(facts, key);
  }
  if (due.length === 0) return;
  await readBatches(
    due.map(([key]) => key),
    objectId,
    Object.assign({}, ...due.map(([, extra]) => extra)) as Partial<UrlContext>,
  );
}

/**
 * A failure for one fact. Generic over the key alone: assigning through a union of every key makes
 * TypeScript build a union of every fact's type, which grows past what it can represent as facts are added.
 */
function setFailed<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, failure: FactFailure): void {
  facts[key] = failure;
}

function setIdle<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K): void {
  const followUp = FACTS[key].followUp;
  if (followUp) facts[key] = { ok: true, value: followUp.idle };
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
