/**
 * One round of a tenant's collection: the facts every account shares (read once), each account's
 * own facts, and the tenant's one sign-in request naming every account asked for, sent as one
 * v1.0 and one beta `$batch` together (runBatch splits a version's items into batches of 20 and
 * sends those together too). The answers are assigned back: shared facts to the tenant's map,
 * an account's facts and its share of the sign-ins to that account's map.
 */
import type { Fact, FactKey, TenantFacts } from "../model/facts.js";
import { runBatch, type BatchItem, type ItemResult } from "./batch.js";
import { networkFailure, tokenFailure } from "./errors.js";
import { factFromResult, mergeAnswers } from "./fact-result.js";
import type { GraphVersion } from "./facts/definition.js";
import { FACTS, accountUrl, type FactValue, type UrlContext } from "./facts/index.js";
import { tenantSignInsUrl, type SignInsReader } from "./facts/sign-ins.js";
import { TokenAcquisitionError, type RawAnswer, type Transport } from "./transport.js";

export type FactMap = { -readonly [K in FactKey]?: Fact<FactValue<K>> };

type BatchOptions = Parameters<typeof runBatch>[3];

/** What a round needs of one account: where its answers go and what it is asked for. */
export interface RoundAccount {
  /** Prefix of its sub-request ids (unique in the tenant). */
  readonly index: number;
  readonly objectId: string;
  /** Every sign-in of it is read (its profile mails each one), else the failures the check reads. */
  readonly everySignIn: boolean;
  readonly facts: FactMap;
  /** Its own facts this round (`signIns` among them: it joins the tenant's one sign-in request). */
  readonly keys: readonly FactKey[];
}

interface Round {
  /** Facts every account shares: read once, assigned to `shared`. */
  readonly tenantWide: readonly FactKey[];
  readonly shared: FactMap;
  readonly accounts: readonly RoundAccount[];
}

export interface RoundContext {
  readonly transport: Transport;
  readonly batch: BatchOptions;
  readonly signInsSince: string;
  readonly contextsSince: string;
  readonly appId: string | undefined;
}

const SIGN_INS_ID = "signIns";
/** The first account's ids are the facts' own (as when a tenant had one account); another's carry its index. */
const prefixed = (index: number, id: string): string => (index === 0 ? id : `${index}.${id}`);

/** Reads the round's facts in one v1.0 and one beta batch (each split by 20), sent together. */
export async function readRound(round: Round, rc: RoundContext): Promise<void> {
  const ctxOf = (objectId: string, read: FactMap): UrlContext => ({
    objectId,
    signInsSince: rc.signInsSince,
    contextsSince: rc.contextsSince,
    read: { ...read },
    appId: rc.appId,
  });
  const tenantCtx = ctxOf("", round.shared);
  const items: Record<GraphVersion, BatchItem[]> = { "v1.0": [], beta: [] };
  const add = (key: FactKey, ctx: UrlContext, idOf: (id: string) => string): void => {
    const { paged, budget, version } = FACTS[key];
    items[version].push(...FACTS[key].requests(ctx).map((r) => ({ id: idOf(r.id), url: r.url, paged, budget })));
  };
  for (const key of round.tenantWide) add(key, tenantCtx, (id) => id);
  for (const a of round.accounts) {
    const ctx = ctxOf(a.objectId, a.facts);
    for (const key of a.keys) if (key !== "signIns") add(key, ctx, (id) => prefixed(a.index, id));
  }
  const readers: SignInsReader[] = round.accounts.filter((a) => a.keys.includes("signIns")).map((a) => ({ objectId: a.objectId, everySignIn: a.everySignIn }));
  const { paged, budget, version } = FACTS.signIns;
  if (readers.length > 0) items[version].push({ id: SIGN_INS_ID, url: tenantSignInsUrl(readers, rc.signInsSince), paged, budget });

  const results = new Map<string, ItemResult>();
  await Promise.all(
    (["v1.0", "beta"] as const).map(async (v) => {
      if (items[v].length > 0) for (const [id, r] of await runBatch(rc.transport, v, items[v], rc.batch)) results.set(id, r);
    }),
  );

  for (const key of round.tenantWide)
    assign(
      round.shared,
      key,
      FACTS[key].requests(tenantCtx).map((r) => results.get(r.id)),
    );
  for (const a of round.accounts) {
    const ctx = ctxOf(a.objectId, a.facts);
    for (const key of a.keys)
      if (key !== "signIns")
        assign(
          a.facts,
          key,
          FACTS[key].requests(ctx).map((r) => results.get(prefixed(a.index, r.id))),
        );
  }
  const answer = results.get(SIGN_INS_ID);
  if (answer)
    splitSignIns(
      answer,
      round.accounts.filter((a) => a.keys.includes("signIns")),
    );
}

/**
 * The tenant's sign-ins back to their accounts, by the sign-in's `userId`: each account gets the
 * rows of its object id, normalised as its own list would be. A failure of the one request (no
 * licence, throttled past its retries) is every account's.
 */
function splitSignIns(answer: ItemResult, accounts: readonly RoundAccount[]): void {
  // One account named: the list is all its own, as Graph filtered it.
  const [only] = accounts;
  if (accounts.length === 1 && only) {
    only.facts.signIns = factFromResult(FACTS.signIns, answer);
    return;
  }
  const byUser = new Map<string, unknown[]>();
  for (const row of answer.ok ? (answer.values ?? []) : []) {
    const user = typeof row === "object" && row !== null && "userId" in row && typeof row.userId === "string" ? row.userId.toLowerCase() : "";
    const rows = byUser.get(user);
    if (rows) rows.push(row);
    else byUser.set(user, [row]);
  }
  for (const a of accounts) {
    const result: ItemResult = answer.ok ? { ...answer, values: byUser.get(a.objectId.toLowerCase()) ?? [] } : answer;
    a.facts.signIns = factFromResult(FACTS.signIns, result);
  }
}

/** Turns a fact's answers (one per request) into the fact; no answer leaves it unset. */
function assign<K extends FactKey>(facts: { -readonly [P in K]?: Fact<FactValue<P>> }, key: K, answers: readonly (ItemResult | undefined)[]): void {
  // Typed over K alone (not every key), so TypeScript pairs the key with its own fact type.
  const result = mergeAnswers(answers);
  if (result) facts[key] = factFromResult(FACTS[key], result);
}

/** Copies a fact from one map to another (generic over the key alone, see assign). */
export function copyFact<K extends FactKey>(to: { -readonly [P in K]?: Fact<FactValue<P>> }, from: { readonly [P in K]?: Fact<FactValue<P>> }, key: K): void {
  const fact = from[key];
  if (fact) to[key] = fact;
}

/**
 * The accounts looked up by the reference they were registered with: one `GET /users('{ref}')`
 * for one account (as a single account always was), one v1.0 batch for several.
 */
export async function lookUpAccounts(
  rc: Pick<RoundContext, "transport" | "batch">,
  accounts: readonly { readonly index: number; readonly ref: string }[],
): Promise<Map<number, TenantFacts["account"]>> {
  const found = new Map<number, TenantFacts["account"]>();
  const [only] = accounts;
  if (accounts.length === 1 && only) {
    found.set(only.index, await readAccountByRef(rc.transport, only.ref));
    return found;
  }
  if (accounts.length === 0) return found;
  const items = accounts.map((a) => ({ id: prefixed(a.index, "account"), url: accountUrl(a.ref), paged: false }));
  const results = await runBatch(rc.transport, FACTS.account.version, items, rc.batch);
  for (const a of accounts) {
    const result = results.get(prefixed(a.index, "account"));
    if (result) found.set(a.index, factFromResult(FACTS.account, result));
  }
  return found;
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
