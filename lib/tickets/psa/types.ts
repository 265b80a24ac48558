/**
 * One small interface over the three PSAs, so the ticket lifecycle (open once, note, close,
 * reopen) is written once and each vendor only translates. Ids are strings whatever the vendor
 * uses (all three number them today), so a stored ticket id outlives a vendor's change of type.
 */
import { z } from "zod";
import type { Severity } from "../../checks/severity.js";

export const PSA_VENDORS = ["connectwise", "autotask", "halo"] as const;
export type PsaVendor = (typeof PSA_VENDORS)[number];

/** How urgent a finding is (the checks' one severity): drift that stops the automation now, a warning that will, a security notice. */
export { SEVERITIES, type Severity } from "../../checks/severity.js";

/**
 * The stable key of a ticket (tenant + account + check, derived by the caller, e.g. a hash): what
 * the client writes into the ticket so a lookup finds it again after a crash between create and
 * record. Never the title, which changes with the wording. Short and plain so every vendor's
 * searchable field holds it (ConnectWise's externalXRef is the tightest).
 */
export const TicketKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{7,47}$/, "a ticket key is 8 to 48 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
export type TicketKey = z.infer<typeof TicketKey>;

export interface PsaCompany {
  readonly id: string;
  readonly name: string;
}

export interface PsaTicket {
  readonly id: string;
  readonly companyId: string;
  readonly summary: string;
  readonly statusId: string;
  /** Closed in the PSA's own terms (a closed status, "Complete", hasbeenclosed): a person may have closed it. */
  readonly closed: boolean;
}

export interface NewTicket {
  readonly companyId: string;
  readonly key: TicketKey;
  readonly summary: string;
  readonly description: string;
  readonly severity: Severity;
}

/** "closed" and "open" are the statuses configured for the vendor (close on resolution, reopen while the drift stands). */
export type TicketStatus = "open" | "closed";

export interface PsaClient {
  readonly vendor: PsaVendor;
  /** The company (ConnectWise identifier, Autotask or Halo name) the tenant is mapped to; undefined when there is none. */
  findCompany(name: string): Promise<PsaCompany | undefined>;
  /** The newest ticket carrying the key for that company, open or closed; undefined when there is none. */
  findTicketByKey(companyId: string, key: TicketKey): Promise<PsaTicket | undefined>;
  /**
   * Opens the ticket, unless one with the key already exists (a create whose answer was lost):
   * then that one is returned. Never opens two for one key through its own retries.
   */
  createTicket(ticket: NewTicket): Promise<PsaTicket>;
  /** An internal note (not mailed to the customer's contacts). */
  addNote(ticketId: string, text: string): Promise<void>;
  setStatus(ticketId: string, status: TicketStatus): Promise<PsaTicket>;
  getTicket(ticketId: string): Promise<PsaTicket | undefined>;
}

/** A vendor's ticket in the common shape; `closed` is whether its status is the configured closed one, unless the vendor says so itself. */
export const psaTicket = (t: { id: number; companyId: number; summary: string; statusId: number; closed?: boolean }, closedStatusId: number): PsaTicket => ({
  id: String(t.id),
  companyId: String(t.companyId),
  summary: t.summary,
  statusId: String(t.statusId),
  closed: t.closed ?? t.statusId === closedStatusId,
});

/** The line written into the ticket's description so a person sees why it exists and the vendors that search text find it. */
export const markerOf = (key: TicketKey): string => `[drift-monitor:${key}]`;

export const hasMarker = (text: string, key: TicketKey): boolean => text.includes(markerOf(key));
