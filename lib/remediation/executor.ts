/**
 * Applies one approved plan, safely. None of the resources a fix writes documents an ETag, so the
 * safety is a read-compare-write here: read the resource again; if the written fields already hold
 * `after`, answer "already done" (a repeated apply changes nothing); if they no longer hold the
 * previewed `before`, refuse with StalePlanError (someone edited it since the preview; nothing is
 * overwritten); else send the write.
 *
 * The window between that read and the write is one round trip: a concurrent edit landing inside it
 * is the one thing this cannot see, as Graph offers no conditional write for these resources.
 *
 * Entra applies a write eventually: reads may show the old value for a while after Graph accepted
 * it. So success is claimed only from a read that shows `after`; the executor reads again with
 * growing pauses for up to `verifyMs`, and past that answers "accepted-not-visible" (Graph said yes,
 * the directory does not show it yet), never "applied". A re-check of the tenant should run only
 * after an "applied" answer, or, after "accepted-not-visible", once a later read shows the change.
 */
import type { RawAnswer, WriteTransport } from "../graph/transport.js";
import { redact } from "../errors/redact.js";
import { errorMessage } from "../errors/text.js";
import { fieldsJson, leafPaths, project, type GraphRequest, type JsonObject, type RemediationPlan } from "./plan.js";
import { RemediationError, StalePlanError } from "./errors.js";
import { readOrThrow } from "./read.js";

export interface ExecutorDeps {
  /** Built from the remediation app's credential (./client.ts), with its request timeout. */
  readonly transport: Pick<WriteTransport, "get" | "patch">;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds, for the verification horizon. */
  readonly now: () => number;
  /** How long to keep reading after Graph accepted the write (REMEDIATION_VERIFY_SECONDS). */
  readonly verifyMs: number;
  /** The first pause before reading again; it doubles (default 1 s). */
  readonly firstPauseMs?: number;
}

type RemediationOutcome = "applied" | "already-done" | "accepted-not-visible" | "refused";

interface RemediationResult {
  readonly outcome: RemediationOutcome;
  readonly request: RemediationPlan["request"];
  /** Graph's answer to the write, redacted; absent when nothing was sent. */
  readonly answer?: { readonly status: number; readonly body: unknown };
  /** The written fields just before the write, and as the last read showed them. */
  readonly before: JsonObject;
  readonly after: JsonObject;
  /** The whole resource as read before the write and, when a read showed the change, after it (redacted JSON). */
  readonly resourceBefore: unknown;
  readonly resourceAfter?: unknown;
  readonly message: string;
}

/** A value as it may be stored or shown: every secret-shaped string redacted. */
function redacted(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(redact(JSON.stringify(value))) as unknown;
}

/** `after`: what the person is told about the resource (a write that timed out may still have landed). */
async function send(what: string, call: () => Promise<RawAnswer>, after = "Nothing was changed by this attempt."): Promise<RawAnswer> {
  try {
    return await call();
  } catch (error) {
    throw new RemediationError("GraphUnreachable", `Could not ${what}: ${errorMessage(error)}. ${after}`);
  }
}

const read = (deps: ExecutorDeps, request: GraphRequest): Promise<unknown> =>
  readOrThrow(deps.transport, request.version, request.url, "before the change", ". Nothing was changed.");

export async function applyPlan(deps: ExecutorDeps, plan: RemediationPlan): Promise<RemediationResult> {
  const paths = leafPaths(plan.request.body);
  const resource = await read(deps, plan.read);
  const current = project(resource, paths);
  const base = { request: plan.request, resourceBefore: redacted(resource) };
  if (fieldsJson(current) === fieldsJson(plan.after)) {
    return {
      ...base,
      outcome: "already-done",
      before: current,
      after: current,
      resourceAfter: redacted(resource),
      message: "Already in the fixed state: nothing sent.",
    };
  }
  if (fieldsJson(current) !== fieldsJson(plan.before)) throw new StalePlanError(plan.before, current);

  const answer = await send(
    "send the change",
    () => deps.transport.patch(plan.request.version, plan.request.url, plan.request.body),
    "Graph may still have applied it: preview again to see where it stands.",
  );
  const graph = { status: answer.status, body: redacted(answer.body) };
  if (answer.status < 200 || answer.status > 299) {
    return { ...base, outcome: "refused", answer: graph, before: current, after: current, message: `Graph refused the change (${answer.status}).` };
  }
  return verify(deps, plan, paths, { ...base, answer: graph, before: current });
}

/** Reads until the change shows or the horizon passes: success only from a read that shows it. */
async function verify(
  deps: ExecutorDeps,
  plan: RemediationPlan,
  paths: readonly string[],
  sent: Pick<RemediationResult, "request" | "answer" | "before" | "resourceBefore">,
): Promise<RemediationResult> {
  const start = deps.now();
  let pause = deps.firstPauseMs ?? 1000;
  let seen: JsonObject = sent.before;
  for (;;) {
    const resource = await read(deps, plan.read).catch(() => undefined);
    if (resource !== undefined) {
      seen = project(resource, paths);
      if (fieldsJson(seen) === fieldsJson(plan.after)) {
        return { ...sent, outcome: "applied", after: seen, resourceAfter: redacted(resource), message: "Applied; a read shows the change." };
      }
    }
    const left = deps.verifyMs - (deps.now() - start);
    if (left <= 0) break;
    await deps.sleep(Math.min(pause, left));
    pause *= 2;
  }
  return {
    ...sent,
    outcome: "accepted-not-visible",
    after: seen,
    message:
      `Graph accepted the change (${sent.answer?.status ?? "?"}) but reads did not show it within ${Math.round(deps.verifyMs / 1000)} s ` +
      "(Entra applies writes eventually): check again later before re-checking the tenant.",
  };
}
