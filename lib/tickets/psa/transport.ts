/**
 * Every HTTP call a PSA client makes goes through here: a timeout on each attempt, at most
 * `concurrency` calls in flight and `minIntervalMs` between starts (each vendor's documented limit,
 * see the clients), 429 and 5xx retried with the project's backoff (lib/retry) within a bounded
 * number of attempts, a Retry-After longer than this call may wait handed back to the caller
 * (clamped to the wait horizon) instead of obeyed, answers validated with zod, and errors that
 * never carry a credential: the vendor's error text is cut short and redacted.
 *
 * A request that changes something and is not safe to repeat (a create) uses `retry: "throttle"`:
 * only a 429, which the vendor answers before doing anything, is retried here; the caller looks
 * the ticket up before it tries again.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pLimit, { type LimitFunction } from "p-limit";
import type { z } from "zod";
import { backoffDelay, retryAfterMs, isRetryableStatus, type BackoffPolicy } from "../../retry/backoff.js";
import { clampUntil } from "../../retry/horizon.js";
import { redact } from "../../errors/redact.js";
import type { PsaVendor } from "./types.js";

export class PsaError extends Error {
  override readonly name = "PsaError";
  constructor(
    readonly vendor: PsaVendor,
    message: string,
    /** The vendor's HTTP status; undefined when no answer came (network, timeout). */
    readonly status: number | undefined,
    /** Worth trying again later (throttled, the vendor down, a key an operator can fix). */
    readonly retryable: boolean,
    /** When the vendor asked to be left alone until: ms from now, already clamped to the wait horizon. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface TransportPolicy extends BackoffPolicy {
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly concurrency: number;
  /** Between the starts of two requests of this client. */
  readonly minIntervalMs: number;
}

export interface TransportDeps {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  readonly random?: () => number;
}

export interface PsaRequestSpec {
  readonly method: "GET" | "POST" | "PATCH";
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** JSON (objects, arrays) or a form (URLSearchParams). */
  readonly body?: unknown;
  /** What the call does, for error messages ("ticket create"). */
  readonly what: string;
  /** "all" (default): 408, 429, 5xx and no answer are retried. "throttle": only 429. */
  readonly retry?: "all" | "throttle";
}

const ERROR_TEXT_MAX = 300;

/**
 * A deadline for every request made inside `work` (withDeadline): none starts after the signal
 * fires, and one in flight then is cut off. Carried in the async context rather than as a parameter
 * because a create reaches the vendor through several requests of the client's own (a token, the
 * zone, the lookups between its retries, Autotask's read-back), and each must stop at the deadline.
 */
const deadlines = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with its PSA requests bounded by `signal` (see `deadlines`). */
export const withDeadline = <T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> => deadlines.run(signal, work);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PsaTransport {
  private readonly limit: LimitFunction;
  private nextStartMs = 0;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly secrets: Set<string>;

  constructor(
    readonly vendor: PsaVendor,
    private readonly policy: TransportPolicy,
    /** This client's credentials in every form they could be echoed in (raw, base64 header values). */
    secrets: readonly string[],
    deps: TransportDeps = {},
  ) {
    this.secrets = new Set(secrets);
    this.limit = pLimit(policy.concurrency);
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.sleep = deps.sleep ?? defaultSleep;
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
  }

  /** A credential obtained later (a bearer token): redacted like the configured ones. */
  addSecret(value: string, replaces?: string): void {
    if (replaces !== undefined) this.secrets.delete(replaces);
    this.secrets.add(value);
  }

  /** The text with this client's secrets and anything secret-shaped removed. */
  clean(text: string): string {
    let out = text;
    for (const s of [...this.secrets].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join("[redacted]");
    return redact(out);
  }

  async send<T>(spec: PsaRequestSpec, schema: z.ZodType<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.beforeDeadline(spec);
      const outcome = await this.limit(() => this.once(spec, schema, attempt));
      if ("data" in outcome) return outcome.data;
      const { error, waitMs } = outcome;
      // Past the caller's deadline the vendor's own answer is the error: no backoff sleep, no "not sent" in its place.
      if (waitMs === undefined || attempt >= this.policy.maxAttempts || deadlines.getStore()?.aborted) throw error;
      await this.sleep(waitMs);
    }
  }

  /**
   * A create that must not run twice: after an answer that leaves it unknown whether the vendor
   * saved the ticket (no answer, a timeout, a 5xx), look it up by its key before trying again.
   */
  async createOnce<T extends { closed: boolean }>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await create();
      } catch (err) {
        const unknownOutcome = err instanceof PsaError && (err.status === undefined || err.status >= 500);
        if (!unknownOutcome || attempt >= this.policy.maxAttempts || deadlines.getStore()?.aborted) throw err;
      }
      const saved = await find();
      if (saved && !saved.closed) return saved;
      await this.sleep(backoffDelay(attempt, undefined, this.random, this.policy));
    }
  }

  private async paced(): Promise<void> {
    const now = this.now().getTime();
    const start = Math.max(now, this.nextStartMs);
    this.nextStartMs = start + this.policy.minIntervalMs;
    if (start > now) await this.sleep(start - now);
  }

  /** Throws once the caller's deadline (withDeadline) has passed: no request starts after it. */
  private beforeDeadline(spec: PsaRequestSpec): void {
    if (!deadlines.getStore()?.aborted) return;
    throw new PsaError(this.vendor, `${this.vendor} ${spec.what}: not sent, the caller's deadline has passed`, undefined, true);
  }

  private async once<T>(spec: PsaRequestSpec, schema: z.ZodType<T>, attempt: number): Promise<{ data: T } | { error: PsaError; waitMs?: number }> {
    await this.paced();
    this.beforeDeadline(spec);
    const deadline = deadlines.getStore();
    const retryAll = (spec.retry ?? "all") === "all";
    let response: Response;
    try {
      const form = spec.body instanceof URLSearchParams;
      response = await this.fetch(spec.url, {
        method: spec.method,
        headers: {
          Accept: "application/json",
          ...(spec.body === undefined ? {} : { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" }),
          ...spec.headers,
        },
        body: spec.body === undefined ? undefined : form ? String(spec.body) : JSON.stringify(spec.body),
        signal: deadline ? AbortSignal.any([AbortSignal.timeout(this.policy.timeoutMs), deadline]) : AbortSignal.timeout(this.policy.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      const reason = deadline?.aborted
        ? "cut off at the caller's deadline, no answer yet"
        : timedOut
        ? `no answer within ${this.policy.timeoutMs} ms`
        : this.clean(err instanceof Error ? `${err.message}${causeOf(err)}` : String(err));
      const error = new PsaError(this.vendor, `${this.vendor} ${spec.what}: ${reason}`, undefined, true);
      return { error, waitMs: retryAll ? backoffDelay(attempt, undefined, this.random, this.policy) : undefined };
    }
    const text = await response.text().catch(() => "");
    if (response.ok) return this.parse(spec, schema, text);
    return this.failure(spec, response, text, retryAll, attempt);
  }

  private parse<T>(spec: PsaRequestSpec, schema: z.ZodType<T>, text: string): { data: T } | { error: PsaError } {
    let body: unknown = null;
    try {
      body = text.trim() === "" ? null : JSON.parse(text);
    } catch {
      return { error: new PsaError(this.vendor, `${this.vendor} ${spec.what}: the answer is not JSON`, undefined, false) };
    }
    const parsed = schema.safeParse(body);
    if (parsed.success) return { data: parsed.data };
    const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    return { error: new PsaError(this.vendor, `${this.vendor} ${spec.what}: unexpected answer (${where.join("; ")})`, undefined, false) };
  }

  private failure(spec: PsaRequestSpec, response: Response, text: string, retryAll: boolean, attempt: number): { error: PsaError; waitMs?: number } {
    const status = response.status;
    const now = this.now();
    const asked = retryAfterMs(response.headers, now);
    const detail = this.clean(text.replace(/\s+/g, " ").trim().slice(0, ERROR_TEXT_MAX));
    const hint = status === 401 || status === 403 ? " (the PSA refused the credentials or the API member's permissions)" : "";
    const message = `${this.vendor} ${spec.what}: HTTP ${status}${hint}${detail ? `: ${detail}` : ""}`;
    const untilMs = asked === undefined ? undefined : clampUntil(now.getTime(), now.getTime() + asked) - now.getTime();
    const error = new PsaError(this.vendor, message, status, isRetryableStatus(status), untilMs);
    const worthRepeating = status === 429 || (retryAll && (status === 408 || status >= 500));
    // A wait longer than one call may take goes back to the caller (the queue holds the work), not into a sleep.
    if (!worthRepeating || (asked !== undefined && asked > this.policy.maxDelayMs)) return { error };
    return { error, waitMs: backoffDelay(attempt, asked, this.random, this.policy) };
  }
}

const causeOf = (err: Error): string => (err.cause instanceof Error ? ` (${err.cause.message})` : "");
