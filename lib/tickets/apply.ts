/**
 * One lifecycle event applied to the finding's ticket in the tenant's PSA, exactly once:
 *
 * - opened: the finding's ticket is opened, unless the stored record says it is open already
 *   (then it is noted). Before creating, the ticket is looked up by its key (the marker the client
 *   writes into it), so a create whose record was never written (the process killed in between)
 *   is found, not opened twice.
 * - updated (a reminder, or the finding now failing for something else): a note on the open ticket.
 * - resolved: a note, then the configured closed status.
 * - A ticket a person closed while the drift stands is reopened (`onClosed: "reopen"`) or replaced by
 *   a new one, the next generation (`"new"`); getTicket says so before each note.
 *
 * The record (ticket id, PSA, the latest events applied) is written with the ETag it was read with, and a
 * new generation is claimed in it before the create (claim.ts: a second deliverer waits out a live
 * claim instead of creating, and takes over only an abandoned one); an event already applied is
 * skipped, so a redelivered message changes nothing. A note whose record write fails is written
 * again on the retry (a note may repeat; a ticket never does).
 */
import type { LifecycleEvent } from "../alerts/lifecycle/event.js";
import type { PsaClient, PsaTicket } from "./psa/types.js";
import type { TenantMapping, TicketRecord, TicketStore } from "./store.js";
import { CLAIM_TTL_MS, ClaimPending, claimStanding, createBudgetMs } from "./claim.js";
import { withDeadline } from "./psa/transport.js";

export type OnClosedByPerson = "reopen" | "new";

interface ApplyDeps {
  readonly store: TicketStore;
  readonly client: PsaClient;
  readonly onClosed: OnClosedByPerson;
  /** A claim's life (claim.ts); tests shorten it. */
  readonly claimTtlMs?: number;
}

/** The key written into the ticket: the finding key's first 32 hex digits and the ticket's generation. */
const ticketKeyOf = (findingKey: string, generation: number): string => `dm-${findingKey.slice(0, 32)}-${generation}`;

const TITLE_MAX = 100;

function summaryOf(e: LifecycleEvent): string {
  const subject = e.subject ? ` (${e.subject.name ?? e.subject.id})` : "";
  const text = `Drift: ${e.tenant.name} - ${e.check.name}${subject}`;
  return text.length > TITLE_MAX ? `${text.slice(0, TITLE_MAX - 1)}…` : text;
}

function descriptionOf(e: LifecycleEvent): string {
  return [
    e.summary,
    e.why ?? "",
    `Required: ${e.check.requirement}`,
    `Tenant: ${e.tenant.name} (${e.tenant.id})`,
    `Failing since ${e.since}`,
    ...e.links.map((l) => `${l.label}: ${l.url}`),
  ]
    .filter((l) => l !== "")
    .join("\n");
}

function noteOf(e: LifecycleEvent): string {
  switch (e.reason) {
    case "reminder":
      return `Still drifting at ${e.occurredAt}: ${e.summary}`;
    case "changed":
      return `Changed at ${e.occurredAt}, still drifting: ${e.summary}${e.why ? `\n${e.why}` : ""}`;
    case "fixed":
      return `Resolved at ${e.resolvedAt ?? e.occurredAt}: the finding passes again. Closing.`;
    case "check-retired":
      return `The check was retired at ${e.occurredAt}${e.why ? `: ${e.why}` : ""}. Closing.`;
    default:
      return `Detected again at ${e.occurredAt}: ${e.summary}`;
  }
}

async function companyOf(client: PsaClient, mapping: TenantMapping): Promise<string> {
  if (mapping.companyId) return mapping.companyId;
  const company = await client.findCompany(mapping.companyName ?? "");
  if (!company) throw new MappingError(`${client.vendor} has no company "${mapping.companyName ?? ""}" for tenant ${mapping.tenantId}`);
  return company.id;
}

/** The mapping names a company the PSA does not have: an operator fixes the mapping, then the row is requeued. */
export class MappingError extends Error {
  override readonly name = "MappingError";
}

/** The ticket of this generation: the one the PSA already holds under its key, or a new one. */
async function openTicket(deps: ApplyDeps, companyId: string, e: LifecycleEvent, generation: number): Promise<PsaTicket> {
  const key = ticketKeyOf(e.findingKey, generation);
  const found = await deps.client.findTicketByKey(companyId, key);
  if (found) return found.closed ? deps.client.setStatus(found.id, "open") : found;
  return deps.client.createTicket({ companyId, key, summary: summaryOf(e), description: descriptionOf(e), severity: e.severity });
}

/**
 * The record as far as the PSA knows it: a claimed generation whose ticket id was never written (the
 * process died after the claim) becomes the ticket the PSA holds under its key, if it saved one.
 */
async function settled(client: PsaClient, record: TicketRecord | null): Promise<{ live: TicketRecord | null; pending: TicketRecord | null }> {
  if (!record || record.resolved || record.psa !== client.vendor) return { live: null, pending: null };
  if (record.ticketId !== "") return { live: record, pending: null };
  const found = await client.findTicketByKey(record.companyId, record.ticketKey);
  return found ? { live: { ...record, ticketId: found.id }, pending: null } : { live: null, pending: record };
}

/** Applies `e`; returns what was done, for the delivery's log. */
export async function applyEvent(deps: ApplyDeps, mapping: TenantMapping, e: LifecycleEvent): Promise<string> {
  const { record, etag, writtenAt } = await deps.store.ticket(e.findingKey);
  if (record?.applied.includes(e.idempotencyKey)) return `${e.event} already applied`;
  const { client } = deps;
  const ttlMs = deps.claimTtlMs ?? CLAIM_TTL_MS;
  const applied = [...(record?.applied ?? []), e.idempotencyKey];
  const save = (r: Omit<TicketRecord, "applied" | "psa">, on = etag): Promise<string> =>
    deps.store.record(e.findingKey, { ...r, psa: client.vendor, applied }, on);

  const { live, pending } = await settled(client, record);
  // A claim without a ticket: another deliverer between its claim and its create, or one that died there.
  if (pending) {
    const standing = claimStanding(writtenAt, await deps.store.serviceNow(), ttlMs);
    if (standing.kind === "live") throw new ClaimPending(e.findingKey, standing.retryAfterMs);
  }
  // The ticket this very event opened, found by its key after the process died before recording it: record it, note nothing.
  if (e.event === "opened" && live && record?.ticketId === "") {
    await save(live);
    return `found ticket ${live.ticketId}, opened by an interrupted delivery`;
  }
  if (e.event === "resolved") {
    if (!live) {
      if (pending) await save({ ...pending, resolved: true });
      return "no open ticket to close";
    }
    const ticket = await client.getTicket(live.ticketId);
    if (ticket && !ticket.closed) {
      await client.addNote(live.ticketId, noteOf(e));
      await client.setStatus(live.ticketId, "closed");
    }
    await save({ ...live, resolved: true });
    return `closed ticket ${live.ticketId}`;
  }

  if (live) {
    const ticket = await client.getTicket(live.ticketId);
    if (ticket && !ticket.closed) {
      await client.addNote(live.ticketId, noteOf(e));
      await save(live);
      return `noted ticket ${live.ticketId}`;
    }
    if (ticket && deps.onClosed === "reopen") {
      await client.setStatus(live.ticketId, "open");
      await client.addNote(live.ticketId, `Reopened: the drift still stands. ${noteOf(e)}`);
      await save(live);
      return `reopened ticket ${live.ticketId}`;
    }
  }
  // No ticket yet, an abandoned claim, the last one resolved, or (per setting) closed by a person or gone: the next generation.
  const generation = pending?.generation ?? (record ? record.generation + 1 : 0);
  const companyId = pending?.companyId ?? live?.companyId ?? (await companyOf(client, mapping));
  const next = { companyId, ticketKey: ticketKeyOf(e.findingKey, generation), generation, resolved: false };
  // The budget runs from before the claim is written, so it ends no later than the claim's life, counted from the service's stamp, allows.
  const deadline = AbortSignal.timeout(createBudgetMs(ttlMs));
  // Claimed before the create: a second deliverer on this finding now conflicts, or waits the claim out, instead of creating too.
  const claimed = await deps.store.record(e.findingKey, { ...next, psa: client.vendor, ticketId: "", applied: record?.applied ?? [] }, etag);
  const ticket = await withDeadline(deadline, () => openTicket(deps, companyId, e, generation));
  await save({ ...next, ticketId: ticket.id }, claimed);
  return `opened ticket ${ticket.id}`;
}
