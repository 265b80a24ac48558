/**
 * Runs GET requests through `POST /{version}/$batch`, at most 20 per batch, one version per call
 * (Graph refuses v1.0 and beta in one batch). Graph answers a batch 200 while single
 * sub-requests answer 429/503/504, so those are retried here, and only those, re-batched together
 * after the longest Retry-After (or a jittered backoff when there is none). Paged collections
 * follow `@odata.nextLink` the same way: the next pages of several resources share one batch, so
 * a follow-up round costs one round trip whatever the number of resources still paging.
 */
import { GRAPH_BACKOFF as DEFAULT_BACKOFF, backoffDelay, parseRetryAfter, type BackoffPolicy } from "../retry/backoff.js";
import { RETRYABLE_STATUSES } from "./errors.js";
import { GRAPH_PACING_LIMITS } from "./pacing-limits.js";
import type { BudgetDemand, GraphBudget, TenantPacer } from "./pacing.js";
import { relativeToVersion } from "./odata.js";
import type { GraphVersion } from "./facts/definition.js";
import { batchResponseSchema, collectionPageSchema, describeIssue, type BatchSubResponse } from "./schemas.js";
import { TokenAcquisitionError, type Transport } from "./transport.js";
import { errorMessage } from "../errors/text.js";

const MAX_BATCH_SIZE = 20;

export interface BatchItem {
  /** Unique within the call; the sub-request id. */
  readonly id: string;
  /** URL relative to the version, e.g. `/users/x?$select=id`. */
  readonly url: string;
  /** Follow `@odata.nextLink` and gather every page's `value`. */
  readonly paged: boolean;
  /** The throttling budget it draws on (CA, reports), so the pacer can hold the batch back. */
  readonly budget?: GraphBudget;
}

export type ItemResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly body: unknown;
      /** paged items: every page's `value`, in order */ readonly values?: readonly unknown[];
    }
  | { readonly ok: false; readonly kind: "http"; readonly status: number; readonly body: unknown; readonly attempts: number }
  | { readonly ok: false; readonly kind: "network"; readonly message: string }
  | { readonly ok: false; readonly kind: "token"; readonly message: string; readonly aadsts: string | undefined }
  | { readonly ok: false; readonly kind: "invalid"; readonly problem: string };

interface BatchOptions {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Clock for HTTP-date Retry-After values. */
  readonly now?: () => number;
  readonly backoff?: BackoffPolicy;
  /** GRAPH_ENDPOINT, to refuse next links that point at another host. */
  readonly endpoint?: string;
  /** Safety net against a service that pages forever. */
  readonly maxPages?: number;
  /** Waits for the tenant's and the app's budgets before each batch is sent (lib/graph/pacing.ts). */
  readonly pacer?: TenantPacer;
}

interface Pending {
  readonly item: BatchItem;
  url: string;
  /** Attempts of the current page (retries reset on each new page). */
  attempt: number;
  pages: number;
  readonly values: unknown[];
  /** Wait before this request's next attempt. */
  delayMs: number;
}

function header(headers: BatchSubResponse["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === wanted) return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
  }
  return undefined;
}

/**
 * A tenant's report requests Graph lets through in one window (reportsPerTenant): a batch carrying
 * more is throttled in part by Graph and cannot be paced whole, so a round with more (the first
 * check of a tenant with several accounts) goes out as several batches, each paced on its own.
 */
const MAX_REPORTS_PER_BATCH = GRAPH_PACING_LIMITS.reportsPerTenant.limit;

/** Groups of at most `size` items, none with more than MAX_REPORTS_PER_BATCH report requests; order kept. */
function chunk<T extends { readonly item: { readonly budget?: GraphBudget } }>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let reports = 0;
  for (const p of list) {
    const report = p.item.budget === "reports" ? 1 : 0;
    if (group.length === size || reports + report > MAX_REPORTS_PER_BATCH) {
      out.push(group);
      group = [];
      reports = 0;
    }
    group.push(p);
    reports += report;
  }
  if (group.length > 0) out.push(group);
  return out;
}

/** Runs the items to completion; every item gets exactly one result. */
export async function runBatch(
  transport: Transport,
  version: GraphVersion,
  items: readonly BatchItem[],
  options: BatchOptions,
): Promise<Map<string, ItemResult>> {
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const now = options.now ?? Date.now;
  const maxPages = options.maxPages ?? 100;
  const results = new Map<string, ItemResult>();
  if (new Set(items.map((i) => i.id)).size !== items.length) throw new Error("runBatch: item ids must be unique");

  let pending: Pending[] = items.map((item) => ({ item, url: item.url, attempt: 0, pages: 0, values: [], delayMs: 0 }));

  while (pending.length > 0) {
    // One wait per round, the longest any request in it asked for: the round then goes out
    // as one batch instead of one per delay.
    const wait = Math.max(...pending.map((p) => p.delayMs));
    if (wait > 0) await options.sleep(wait);
    const next: Pending[] = [];
    await Promise.all(chunk(pending, MAX_BATCH_SIZE).map((group) => runOne(group, next)));
    pending = next;
  }
  return results;

  async function runOne(group: Pending[], next: Pending[]): Promise<void> {
    const body = { requests: group.map((p) => ({ id: p.item.id, method: "GET", url: p.url })) };
    let answer;
    // Each sub-request is metered on its own: the batch waits until every budget it draws on
    // has room, and gives the slots back (to count from now) once the answer is in.
    const permit = options.pacer ? await options.pacer.acquire(demandOf(group.map((p) => p.item))) : undefined;
    try {
      answer = await transport.post(version, "/$batch", body);
    } catch (error) {
      const message = errorMessage(error);
      const result: ItemResult =
        error instanceof TokenAcquisitionError ? { ok: false, kind: "token", message, aadsts: error.aadsts } : { ok: false, kind: "network", message };
      for (const p of group) results.set(p.item.id, result);
      return;
    } finally {
      permit?.release();
    }
    // The batch itself failed (401 bad token, 403, or a 429/5xx the client's retries could not
    // clear): every request in it shares that answer.
    if (answer.status < 200 || answer.status >= 300) {
      for (const p of group) results.set(p.item.id, { ok: false, kind: "http", status: answer.status, body: answer.body, attempts: p.attempt + 1 });
      return;
    }
    const parsed = batchResponseSchema.safeParse(answer.body);
    if (!parsed.success) {
      for (const p of group) results.set(p.item.id, { ok: false, kind: "invalid", problem: `$batch response ${describeIssue(parsed.error)}` });
      return;
    }
    const byId = new Map(parsed.data.responses.map((r) => [r.id, r]));
    for (const p of group) {
      const sub = byId.get(p.item.id);
      if (!sub) {
        results.set(p.item.id, { ok: false, kind: "invalid", problem: `$batch response has no answer for request ${p.item.id}` });
        continue;
      }
      handle(p, sub, next);
    }
  }

  function handle(p: Pending, sub: BatchSubResponse, next: Pending[]): void {
    p.attempt += 1;
    if (sub.status >= 200 && sub.status < 300) {
      if (!p.item.paged) {
        results.set(p.item.id, { ok: true, status: sub.status, body: sub.body });
        return;
      }
      const page = collectionPageSchema.safeParse(sub.body);
      if (!page.success) {
        results.set(p.item.id, { ok: false, kind: "invalid", problem: describeIssue(page.error) });
        return;
      }
      p.values.push(...page.data.value);
      p.pages += 1;
      const link = page.data["@odata.nextLink"];
      if (!link) {
        results.set(p.item.id, { ok: true, status: sub.status, body: sub.body, values: p.values });
        return;
      }
      const relative = relativeToVersion(link, version, options.endpoint);
      if (relative === undefined) {
        results.set(p.item.id, { ok: false, kind: "invalid", problem: `@odata.nextLink does not point at this Graph endpoint and version: ${link}` });
        return;
      }
      if (p.pages >= maxPages) {
        results.set(p.item.id, { ok: false, kind: "invalid", problem: `more than ${maxPages} pages` });
        return;
      }
      next.push({ ...p, url: relative, attempt: 0, delayMs: 0 });
      return;
    }
    if (RETRYABLE_STATUSES.has(sub.status) && p.attempt < policy.maxAttempts) {
      const retryAfter = parseRetryAfter(header(sub.headers, "Retry-After"), now());
      next.push({ ...p, delayMs: backoffDelay(p.attempt, retryAfter, options.random, policy) });
      return;
    }
    results.set(p.item.id, { ok: false, kind: "http", status: sub.status, body: sub.body, attempts: p.attempt });
  }
}

/** What one batch asks of the budgets: one slot per metered sub-request. */
export function demandOf(items: readonly { readonly budget?: GraphBudget }[]): BudgetDemand {
  const demand: Record<GraphBudget, number> = { ca: 0, reports: 0 };
  for (const item of items) if (item.budget) demand[item.budget] += 1;
  return demand;
}
