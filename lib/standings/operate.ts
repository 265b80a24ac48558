/**
 * Operators' changes to acknowledgements and exceptions, for the CLI and the API alike: read what
 * is stored, decide (decide.ts), write the change with its audit entry on the ETag it was read
 * with (lib/store/monitor/standings.ts). Two operators racing on one row: one wins, the other is
 * answered 409 with what to do. The clock is injected.
 */
import { ESTATE_SCOPE, type AckInput, type Acknowledgement, type ApprovedException, type AuditEntry, type ExceptionInput } from "../model/standing.js";
import type { MonitorRepository, StandingsRepository } from "../store/index.js";
import { StandingConflictError } from "../store/index.js";
import { acknowledgementOf, exceptionOf, type Decided } from "./decide.js";
import { monitorPartition } from "../model/account.js";

export interface OperateDeps {
  readonly monitor: Pick<MonitorRepository, "readState">;
  readonly standings: Pick<StandingsRepository, "getAck" | "writeAck" | "getException" | "writeException" | "listAudit">;
}

const conflict = (error: StandingConflictError): Decided<never> => ({ ok: false, status: 409, error: error.message });

async function guarded<T>(write: () => Promise<T>): Promise<Decided<T>> {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (error instanceof StandingConflictError) return conflict(error);
    throw error;
  }
}

const audit = (
  scope: string,
  by: string,
  now: Date,
  action: AuditEntry["action"],
  subject: string,
  before: AuditEntry["before"],
  after: AuditEntry["after"],
): AuditEntry => ({
  schemaVersion: 2,
  scope,
  at: now.toISOString(),
  by,
  action,
  subject,
  before,
  after,
});

/** The finding is the account's `input.accountKey` (absent: the tenant's first): its state and its acknowledgement are in its partition. */
export async function acknowledge(deps: OperateDeps, tenantId: string, input: AckInput, now: Date): Promise<Decided<Acknowledgement>> {
  const partition = monitorPartition(tenantId, input.accountKey ?? "");
  const state = (await deps.monitor.readState(partition))?.state;
  const decided = acknowledgementOf(tenantId, state, input, now);
  if (!decided.ok) return decided;
  const ack = decided.value;
  const before = await deps.standings.getAck(partition, ack.findingKey);
  return guarded(async () => {
    await deps.standings.writeAck(ack, before?.etag ?? null, audit(tenantId, ack.by, now, "ack", ack.findingKey, before?.value ?? null, ack));
    return ack;
  });
}

export async function withdrawAck(
  deps: OperateDeps,
  tenantId: string,
  findingKey: string,
  by: string,
  now: Date,
  accountKey = "",
): Promise<Decided<Acknowledgement>> {
  const before = await deps.standings.getAck(monitorPartition(tenantId, accountKey), findingKey);
  if (!before || before.value.withdrawn) return { ok: false, status: 404, error: `finding ${findingKey} of tenant ${tenantId} is not acknowledged` };
  const after: Acknowledgement = { ...before.value, withdrawn: { by, at: now.toISOString() } };
  return guarded(async () => {
    await deps.standings.writeAck(after, before.etag, audit(tenantId, by, now, "ack-withdrawn", findingKey, before.value, after));
    return after;
  });
}

/**
 * `scope`: a tenant id, or ESTATE_SCOPE for a template every tenant inherits. The state read is the
 * account's the exception is for (`input.accountKey`), else `seenIn`'s (the account whose finding
 * the operator excepts for every account: its report shows the policy), else the tenant's first account's.
 */
export async function approveException(
  deps: OperateDeps,
  scope: string,
  input: ExceptionInput,
  now: Date,
  seenIn = "",
): Promise<Decided<ApprovedException>> {
  const state = scope === ESTATE_SCOPE ? undefined : (await deps.monitor.readState(monitorPartition(scope, input.accountKey ?? seenIn)))?.state;
  const decided = exceptionOf(scope, state, input, now);
  if (!decided.ok) return decided;
  const exception = decided.value;
  const before = await deps.standings.getException(scope, exception.id);
  return guarded(async () => {
    const entry = audit(scope, exception.by, now, "exception-approved", exception.id, before?.value ?? null, exception);
    await deps.standings.writeException(exception, before?.etag ?? null, entry);
    return exception;
  });
}

export async function removeException(deps: OperateDeps, scope: string, id: string, by: string, now: Date): Promise<Decided<ApprovedException>> {
  const before = await deps.standings.getException(scope, id);
  if (!before || before.value.withdrawn)
    return { ok: false, status: 404, error: `there is no exception ${id} in ${scope === ESTATE_SCOPE ? "the estate" : `tenant ${scope}`}` };
  const after: ApprovedException = { ...before.value, withdrawn: { by, at: now.toISOString() } };
  return guarded(async () => {
    await deps.standings.writeException(after, before.etag, audit(scope, by, now, "exception-removed", id, before.value, after));
    return after;
  });
}

/** A tenant's audit trail with the estate-wide entries that bear on it, newest first. */
export async function auditTrail(deps: OperateDeps, tenantId: string | undefined): Promise<AuditEntry[]> {
  const scopes = tenantId === undefined ? [ESTATE_SCOPE] : [tenantId, ESTATE_SCOPE];
  const lists = await Promise.all(scopes.map((s) => deps.standings.listAudit(s)));
  return lists.flat().sort((a, b) => b.at.localeCompare(a.at) || a.subject.localeCompare(b.subject));
}
