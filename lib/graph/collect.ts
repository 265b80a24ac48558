/**
 * collectFacts: every fact of the design's Graph table for one tenant's connection account, in
 * as few round trips as Graph allows: one v1.0 `$batch` and one beta `$batch`, sent together
 * (plus a `GET /users/{ref}` first when the object id is not known yet, and follow-up batches
 * only for next pages and throttled sub-requests). Each fact succeeds or fails on its own.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { Fact, TenantFacts } from "../model/facts.js";
import type { BackoffPolicy } from "../retry/backoff.js";
import { runBatch, type BatchItem, type ItemResult } from "./batch.js";
import { classifyHttpFailure, dependencyFailure, invalidResponse, networkFailure, tokenFailure, type FactFailure } from "./errors.js";
import {
  toAccount,
  toAuthMethods,
  toCaPolicies,
  toMembership,
  toPerUserMfa,
  toRegistrationCampaign,
  toRegistrationDetails,
  toRoleAssignments,
  toSecurityDefaults,
  toSignIns,
  type Normalised,
} from "./normalise.js";
import { FACT_BUDGETS, type GraphPacer } from "./pacing.js";
import { FACT_SPECS, accountUrl, factRequests, type FactKey, type UrlContext } from "./requests.js";
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

type FactMap = { -readonly [K in FactKey]?: TenantFacts[K] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Facts that do not depend on the account: read even when the account is missing. */
const TENANT_WIDE: readonly FactKey[] = (Object.keys(FACT_SPECS) as FactKey[]).filter((k) => k !== "account" && !FACT_SPECS[k].needsObjectId);
const PER_ACCOUNT: readonly FactKey[] = (Object.keys(FACT_SPECS) as FactKey[]).filter((k) => FACT_SPECS[k].needsObjectId);

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

  const report = options.registrationReport ?? { mode: "read" };
  const perAccount = report.mode === "skip" ? PER_ACCOUNT.filter((k) => k !== "registrationDetails") : PER_ACCOUNT;
  /** Reads the facts in one v1.0 and one beta batch, sent together, for the given object id. */
  const readBatches = async (keys: readonly FactKey[], id: string): Promise<void> => {
    const ctx = { objectId: id, signInsSince: since };
    const [v1, beta] = await Promise.all(
      (["v1.0", "beta"] as const).map((v) => {
        const items = keys.filter((k) => FACT_SPECS[k].version === v).flatMap((k) => batchItems(k, ctx));
        return items.length > 0 ? runBatch(transport, v, items, batchOptions) : Promise.resolve(new Map<string, ItemResult>());
      }),
    );
    const results = new Map([...(v1 ?? []), ...(beta ?? [])]);
    for (const key of keys) assign(facts, key, factRequests(key, ctx).map((r) => results.get(r.id)));
  };

  // With the id known up front, the account itself rides in the v1.0 batch.
  await readBatches(objectId ? [...(knownId ? (["account"] as const) : []), ...TENANT_WIDE, ...perAccount] : [...TENANT_WIDE], objectId ?? "");

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
    const methods = facts.authMethods ?? dependencyFailure(FACT_SPECS.authMethods, "it was not read");
    if (report.readIf?.(methods)) {
      await readBatches(["registrationDetails"], objectId);
    } else {
      facts.registrationDetails = report.carried;
      reportState = "carried";
    }
  }
  for (const key of PER_ACCOUNT) {
    if (accountMissing) facts[key] = dependencyFailure(FACT_SPECS[key], "the account does not exist (Graph answered 404)");
    else if (!facts[key]) facts[key] = dependencyFailure(FACT_SPECS[key], "the account's object id is unknown because the account could not be read");
  }

  return {
    facts: {
      tenantId: target.tenantId,
      collectedAt: options.now.toISOString(),
      accountRef: target.accountRef,
      account: facts.account ?? dependencyFailure(FACT_SPECS.account, "it was not requested"),
      membership: need(facts.membership),
      roleAssignments: need(facts.roleAssignments),
      roleEligibility: need(facts.roleEligibility),
      conditionalAccessPolicies: need(facts.conditionalAccessPolicies),
      securityDefaults: need(facts.securityDefaults),
      perUserMfa: need(facts.perUserMfa),
      authMethods: need(facts.authMethods),
      registrationDetails: need(facts.registrationDetails),
      registrationCampaign: need(facts.registrationCampaign),
      signIns: need(facts.signIns),
      signInLookbackHours: options.signInLookbackHours,
    },
    roundTrips: transport.roundTrips,
    ...(reportState ? { registrationReport: reportState } : {}),
  };
}

/** The batch items a fact is read with (the sign-ins: two lists, one budget slot each). */
function batchItems(key: FactKey, ctx: UrlContext): BatchItem[] {
  return factRequests(key, ctx).map((r) => ({ id: r.id, url: r.url, paged: FACT_SPECS[key].paged, budget: FACT_BUDGETS[key] }));
}

function need<T>(fact: Fact<T> | undefined): Fact<T> {
  // Every key is assigned above; this only guards the type.
  return fact ?? { ok: false, code: "unavailable", reason: "The collector did not produce this fact (a bug)" };
}

async function readAccountByRef(transport: Transport, ref: string): Promise<TenantFacts["account"]> {
  const spec = FACT_SPECS.account;
  let answer: RawAnswer;
  try {
    answer = await transport.get("v1.0", accountUrl(ref));
  } catch (error) {
    return error instanceof TokenAcquisitionError ? tokenFailure(spec, error.message, error.aadsts) : networkFailure(spec, error);
  }
  return accountFromAnswer({ ok: answer.status >= 200 && answer.status < 300, status: answer.status, body: answer.body });
}

function accountFromAnswer(a: { ok: boolean; status: number; body: unknown }): TenantFacts["account"] {
  // 404 is an answer: the account does not exist (R1 fails), not "could not verify".
  if (a.status === 404) return { ok: true, value: null };
  if (!a.ok) return classifyHttpFailure(FACT_SPECS.account, a.status, a.body);
  return toFact(FACT_SPECS.account, toAccount(a.body));
}

function toFact<T>(spec: (typeof FACT_SPECS)[FactKey], n: Normalised<T>): Fact<T> {
  return n.ok ? { ok: true, value: n.value } : invalidResponse(spec, n.problem);
}

function failureOf(key: FactKey, result: Exclude<ItemResult, { ok: true }>): FactFailure {
  const spec = FACT_SPECS[key];
  switch (result.kind) {
    case "http":
      return classifyHttpFailure(spec, result.status, result.body);
    case "network":
      return networkFailure(spec, new Error(result.message));
    case "token":
      return tokenFailure(spec, result.message, result.aadsts);
    case "invalid":
      return invalidResponse(spec, result.problem);
  }
}

/**
 * Turns a fact's answers (one per request; the sign-ins have two) into the fact. A request that
 * got no answer leaves the fact unset. Several answers are one fact: the first failure fails it,
 * else their pages are read as one list (the sign-ins: merged, each once, newest first).
 */
function assign(facts: FactMap, key: FactKey, answers: readonly (ItemResult | undefined)[]): void {
  if (answers.length === 0 || answers.some((a) => a === undefined)) return;
  const all = answers as readonly ItemResult[];
  const failure = all.find((a) => !a.ok);
  const result: ItemResult =
    failure ?? (all.length === 1 ? all[0]! : { ok: true, status: 200, body: undefined, values: all.flatMap((a) => (a.ok ? (a.values ?? []) : [])) });
  if (key === "account") {
    facts.account = result.ok ? accountFromAnswer(result) : result.kind === "http" ? accountFromAnswer({ ok: false, status: result.status, body: result.body }) : failureOf(key, result);
    return;
  }
  if (!result.ok) {
    facts[key] = failureOf(key, result);
    return;
  }
  const spec = FACT_SPECS[key];
  const values = result.values ?? [];
  switch (key) {
    case "membership":
      facts.membership = toFact(spec, toMembership(values));
      return;
    case "roleAssignments":
      facts.roleAssignments = toFact(spec, toRoleAssignments(values));
      return;
    case "roleEligibility":
      facts.roleEligibility = toFact(spec, toRoleAssignments(values));
      return;
    case "conditionalAccessPolicies":
      facts.conditionalAccessPolicies = toFact(spec, toCaPolicies(values));
      return;
    case "securityDefaults":
      facts.securityDefaults = toFact(spec, toSecurityDefaults(result.body));
      return;
    case "perUserMfa":
      facts.perUserMfa = toFact(spec, toPerUserMfa(result.body));
      return;
    case "authMethods":
      facts.authMethods = toFact(spec, toAuthMethods(values));
      return;
    case "registrationDetails":
      facts.registrationDetails = toFact(spec, toRegistrationDetails(result.body));
      return;
    case "registrationCampaign":
      facts.registrationCampaign = toFact(spec, toRegistrationCampaign(result.body));
      return;
    case "signIns":
      facts.signIns = toFact(spec, toSignIns(values));
      return;
  }
}
