/**
 * A fix from preview to re-check, for the dashboard and the CLI alike (the imperative shell is
 * injected: the store, the remediation app's Graph, the tenant's re-check, the clock, ids).
 *
 *   preview  a fresh read with the remediation app; the check's planner says exactly what would be sent
 *   request  previews again and stores that plan (pending, or approved when four-eyes is off)
 *   approve  a second person (four-eyes), before the request expires
 *   apply    the executor's read-compare-write: a resource changed since the preview is `stale`
 *            ("preview again") and nothing is overwritten; then the tenant is checked at once
 *   revert   a plan whose `after` is the recorded `before`, through the same read-compare-write
 *
 * Each step asks the pure state machine (transitions.ts) first and is written on the ETag it was
 * read with, together with its audit entry. The write's result is stored before the re-check
 * runs, so a re-check that fails or hangs loses nothing.
 */
import { monitorPartition } from "../model/account.js";
import type { Actor, FixRequest, FixRun, Recheck, StoredJson, StoredJsonObject } from "../model/remediation.js";
import type { AuditEntry } from "../model/standing.js";
import type { Report } from "../model/report.js";
import { errorMessage } from "../errors/text.js";
import { FixConflictError, type EtaggedFix, type RemediationsRepository } from "../store/index.js";
import { applyPlan, type ExecutorDeps } from "./executor.js";
import { RemediationError, StalePlanError } from "./errors.js";
import { fieldsJson, isManual, type JsonObject, type RemediationPlan } from "./plan.js";
import { previewFix } from "./preview.js";
import { fixTargetOf } from "./target.js";
import { decideFix, isExpired, type FixEvent } from "./transitions.js";
import { planDigest, revertPlan, storedPlan } from "./revert.js";

export interface FlowDeps {
  readonly fixes: Pick<RemediationsRepository, "get" | "list" | "write">;
  /** The remediation app's executor for a tenant (its transport reads for the preview too). */
  executor(tenantId: string): ExecutorDeps;
  /** Checks the tenant now, through the runner, and tells how the finding fared. Never throws. */
  recheck(tenantId: string, accountKey: string, findingKey: string): Promise<Recheck>;
  /** Four-eyes for this tenant. */
  /** The tenant's four-eyes rule (four-eyes.ts): its own setting, else the estate's. */
  requireApproval(tenantId: string): boolean | Promise<boolean>;
  readonly approvalTtlMs: number;
  now(): Date;
  newId(): string;
}

/** Which finding of which account. */
export interface FindingRef {
  readonly tenantId: string;
  readonly accountKey: string;
  readonly findingKey: string;
  /** The account's last report (the finding and the account's object id are read from it). */
  readonly report: Report | undefined;
}

interface FixRef {
  readonly tenantId: string;
  readonly accountKey: string;
  readonly id: string;
}

export type FlowResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: 400 | 403 | 404 | 409 | 502; readonly error: string };

const fail = (status: 400 | 403 | 404 | 409 | 502, error: string): FlowResult<never> => ({ ok: false, status, error });

export type Preview = { readonly plan: RemediationPlan; readonly digest: string } | { readonly manual: string };

export async function preview(deps: FlowDeps, ref: FindingRef): Promise<FlowResult<Preview>> {
  const target = fixTargetOf(ref.report, ref.findingKey);
  if (!target.ok) return { ok: true, value: { manual: target.why } };
  try {
    const r = await previewFix(deps.executor(ref.tenantId).transport, target.target);
    return { ok: true, value: isManual(r) ? r : { plan: r, digest: planDigest(r) } };
  } catch (error) {
    if (error instanceof RemediationError) return fail(502, error.message);
    throw error;
  }
}

const ACTION_OF: Readonly<Record<FixRequest["state"], AuditEntry["action"]>> = {
  pending: "fix-requested",
  approved: "fix-approved",
  applied: "fix-applied",
  stale: "fix-stale",
  refused: "fix-refused",
  failed: "fix-failed",
  expired: "fix-expired",
  reverted: "fix-reverted",
};

/** A run without the whole resources: the written fields before and after stay, which is what the audit trail shows. */
function slimRun(run: FixRun | undefined): { result?: FixRun } {
  if (!run) return {};
  const { resourceBefore: _b, resourceAfter: _a, ...rest } = run;
  return { result: rest };
}

/** The request as its audit entry holds it: an audit row is one JSON column (64 KiB), the fix row keeps the resources. */
function slim(fix: FixRequest): FixRequest {
  const { result, revert, ...rest } = fix;
  const reverted = slimRun(revert).result;
  return { ...rest, ...slimRun(result), ...(reverted ? { revert: reverted } : {}) };
}

function audit(by: string, at: Date, action: AuditEntry["action"], before: FixRequest | null, after: FixRequest): AuditEntry {
  const scope = monitorPartition(after.tenantId, after.accountKey);
  return {
    schemaVersion: 2,
    scope,
    at: at.toISOString(),
    by,
    action,
    subject: `${after.findingKey} fix ${after.id}`,
    before: before && slim(before),
    after: slim(after),
  };
}

async function written<T>(write: () => Promise<void>, value: T): Promise<FlowResult<T>> {
  try {
    await write();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof FixConflictError) return fail(409, `${error.message}, and decide on what it is now`);
    throw error;
  }
}

/** `seen`: the digest of the plan the person was shown; a different plan now is refused (preview again). */
export async function request(deps: FlowDeps, ref: FindingRef, by: Actor, seen?: string): Promise<FlowResult<FixRequest>> {
  const previewed = await preview(deps, ref);
  if (!previewed.ok) return previewed;
  if ("manual" in previewed.value) return fail(400, previewed.value.manual);
  const { plan, digest } = previewed.value;
  if (seen !== undefined && seen !== digest) return fail(409, "The resource changed since your preview: preview again. Nothing was requested.");
  if (fieldsJson(plan.before) === fieldsJson(plan.after)) return fail(409, "Already in the fixed state: nothing to request.");
  const now = deps.now();
  const fourEyes = await deps.requireApproval(ref.tenantId);
  const at = now.toISOString();
  const fix: FixRequest = {
    schemaVersion: 1,
    id: deps.newId(),
    tenantId: ref.tenantId,
    accountKey: ref.accountKey,
    findingKey: ref.findingKey,
    checkId: ref.findingKey.split("|")[0] ?? ref.findingKey,
    plan: storedPlan(plan),
    requestedBy: by,
    requestedAt: at,
    fourEyes,
    // Without four-eyes the requester's own request is the approval.
    approvedBy: fourEyes ? null : by,
    approvedAt: fourEyes ? null : at,
    state: fourEyes ? "pending" : "approved",
    expiresAt: new Date(now.getTime() + deps.approvalTtlMs).toISOString(),
    updatedAt: at,
  };
  return written(() => deps.fixes.write(fix, null, audit(by.name, now, "fix-requested", null, fix)), fix);
}

async function load(deps: FlowDeps, ref: FixRef): Promise<FlowResult<EtaggedFix>> {
  const found = await deps.fixes.get(ref.tenantId, ref.accountKey, ref.id);
  return found ? { ok: true, value: found } : fail(404, `there is no fix ${ref.id} for this account`);
}

/** Asks the state machine, then writes its answer with the audit entry. */
async function step(deps: FlowDeps, found: EtaggedFix, event: FixEvent, by: string, now: Date): Promise<FlowResult<EtaggedFix>> {
  const decided = decideFix(found.fix, event, now);
  if (!decided.ok) return decided;
  const next = decided.fix;
  const action = event.kind === "reverted" && next.state !== "reverted" ? "fix-stale" : ACTION_OF[next.state];
  const r = await written(() => deps.fixes.write(next, found.etag, audit(by, now, action, found.fix, next)), next);
  if (!r.ok) return r;
  const again = await deps.fixes.get(next.tenantId, next.accountKey, next.id);
  return again ? { ok: true, value: again } : fail(404, `fix ${next.id} is gone`);
}

/** A pending request past its expiry is marked expired (and audited) when someone reaches for it. */
async function expireIfDue(deps: FlowDeps, found: EtaggedFix, now: Date): Promise<FlowResult<never> | undefined> {
  if (!isExpired(found.fix, now)) return undefined;
  const r = await step(deps, found, { kind: "expire" }, "drift-monitor", now);
  if (!r.ok) return r;
  return fail(409, `fix ${found.fix.id} expired at ${found.fix.expiresAt} before it was approved: preview again`);
}

export async function approve(deps: FlowDeps, ref: FixRef, by: Actor): Promise<FlowResult<FixRequest>> {
  const found = await load(deps, ref);
  if (!found.ok) return found;
  const now = deps.now();
  const expired = await expireIfDue(deps, found.value, now);
  if (expired) return expired;
  const r = await step(deps, found.value, { kind: "approve", by }, by.name, now);
  return r.ok ? { ok: true, value: r.value.fix } : r;
}

/** One write through the executor, as a stored run: a stale plan or an unreachable Graph is an outcome, not a throw. */
async function run(deps: FlowDeps, tenantId: string, plan: RemediationPlan, by: Actor, now: Date): Promise<FixRun> {
  const at = now.toISOString();
  try {
    const r = await applyPlan(deps.executor(tenantId), plan);
    return {
      by,
      at,
      outcome: r.outcome,
      message: r.message,
      ...(r.answer ? { answer: { status: r.answer.status, body: asJson(r.answer.body ?? null) } } : {}),
      before: asFields(r.before),
      after: asFields(r.after),
      resourceBefore: asJson(r.resourceBefore),
      ...(r.resourceAfter !== undefined ? { resourceAfter: asJson(r.resourceAfter) } : {}),
    };
  } catch (error) {
    if (error instanceof StalePlanError) return { by, at, outcome: "stale", message: error.message, before: asFields(error.current) };
    if (error instanceof RemediationError) return { by, at, outcome: "failed", message: error.message };
    return { by, at, outcome: "failed", message: `The fix failed: ${errorMessage(error)}. Preview again to see where it stands.` };
  }
}

/** Graph's redacted answers are JSON already (parsed from text); a copy makes them the stored type. */
const asJson = (value: unknown): StoredJson => JSON.parse(JSON.stringify(value ?? null)) as StoredJson;
/** The written fields (a projection: always an object). */
const asFields = (fields: JsonObject): StoredJsonObject => JSON.parse(JSON.stringify(fields)) as StoredJsonObject;

const shows = (r: FixRun): boolean => r.outcome === "applied" || r.outcome === "already-done";

async function attachRecheck(deps: FlowDeps, found: EtaggedFix, field: "recheck" | "revertRecheck", by: Actor): Promise<FlowResult<FixRequest>> {
  const fix = found.fix;
  const recheck = await deps.recheck(fix.tenantId, fix.accountKey, fix.findingKey);
  const next: FixRequest = { ...fix, [field]: recheck, updatedAt: deps.now().toISOString() };
  return written(() => deps.fixes.write(next, found.etag, audit(by.name, deps.now(), "fix-rechecked", fix, next)), next);
}

export async function apply(deps: FlowDeps, ref: FixRef, by: Actor): Promise<FlowResult<FixRequest>> {
  const found = await load(deps, ref);
  if (!found.ok) return found;
  const now = deps.now();
  const expired = await expireIfDue(deps, found.value, now);
  if (expired) return expired;
  const allowed = decideFix(found.value.fix, { kind: "apply", by }, now);
  if (!allowed.ok) return allowed;
  // Two people applying at once may both reach Graph: the write is idempotent, the second sees
  // "already done", and only one of them stores the step (the ETag). Should storing fail after
  // Graph took the change, the request stays approved and a later apply finds it "already done".
  const result = await run(deps, ref.tenantId, found.value.fix.plan, by, now);
  const stored = await step(deps, found.value, { kind: "applied", run: result }, by.name, deps.now());
  if (!stored.ok) return stored;
  // Entra applies writes eventually: re-check only once a read shows the change (docs/remediation.md).
  return shows(result) ? attachRecheck(deps, stored.value, "recheck", by) : { ok: true, value: stored.value.fix };
}

export async function revert(deps: FlowDeps, ref: FixRef, by: Actor): Promise<FlowResult<FixRequest>> {
  const found = await load(deps, ref);
  if (!found.ok) return found;
  const now = deps.now();
  const allowed = decideFix(found.value.fix, { kind: "revert", by }, now);
  if (!allowed.ok) return allowed;
  const plan = revertPlan(found.value.fix);
  if (!plan) return fail(409, `fix ${ref.id} has no recorded "before" to restore`);
  const result = await run(deps, ref.tenantId, plan, by, now);
  const stored = await step(deps, found.value, { kind: "reverted", run: result }, by.name, deps.now());
  if (!stored.ok) return stored;
  return shows(result) ? attachRecheck(deps, stored.value, "revertRecheck", by) : { ok: true, value: stored.value.fix };
}
