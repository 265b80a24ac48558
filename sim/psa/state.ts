/**
 * What a PSA simulator holds: companies, tickets with their notes, the credentials it accepts, the
 * faults to inject and what it was asked. One state per simulator (one vendor), all plain data, so
 * a test reads it directly (`sim.state.tickets`) instead of going through the vendor's API.
 */

export const PSA_VENDORS = ["connectwise", "autotask", "halo"] as const;
export type PsaVendor = (typeof PSA_VENDORS)[number];

export interface SimCompany {
  readonly id: number;
  readonly name: string;
  /** ConnectWise's short company identifier ("Contoso"); the other vendors search by name. */
  readonly identifier: string;
}

export interface SimNote {
  readonly id: number;
  readonly text: string;
  /** Internal (not shown to the customer): ConnectWise internalAnalysisFlag, Autotask publish 2, Halo hiddenfromuser. */
  readonly internal: boolean;
}

export interface SimTicket {
  readonly id: number;
  companyId: number;
  summary: string;
  description: string;
  /** The vendor's searchable reference field (ConnectWise externalXRef); undefined where the marker lives in the description. */
  externalRef?: string;
  priority: number;
  status: number;
  closed: boolean;
  readonly notes: SimNote[];
  /** Every field the client sent on create, as sent: tests check required vendor fields. */
  readonly created: Record<string, unknown>;
}

export interface SimStatus {
  readonly id: number;
  readonly name: string;
  readonly closed: boolean;
}

/**
 * `429` answers Too Many Requests with Retry-After (`retryAfterSeconds`, default 1); `5xx` answers
 * 500 without doing anything; `5xx-after` does the work and then answers 500 (a response lost
 * after the vendor committed it: the case that makes a blind retry of a create open two tickets).
 * `400-echo` answers 400 with the request's headers and body in the message, as some APIs echo
 * what they were sent (a client must not pass that on unredacted). `hold-after` does the work and
 * holds the answer until `releaseHeld()`: a test can kill the caller while the vendor has committed
 * and the caller has heard nothing (`whenHeld()` says when the work is done). `hold-before` holds the
 * request before doing anything until `releaseHeld()`, then does the work and answers (to a caller
 * that may have given up): a create still under way, or one a vendor saves after the caller stopped waiting.
 * `route` is a handler's route name (`tickets.create`, `tickets.query`, `notes.create`, …) or "*".
 */
interface PsaFault {
  readonly route: string;
  readonly kind: "429" | "5xx" | "5xx-after" | "400-echo" | "hold-after" | "hold-before";
  /** How many requests it hits; unlimited until cleared when left out. */
  times?: number;
  readonly retryAfterSeconds?: number;
}

export interface PsaSimSeed {
  readonly companies?: readonly Omit<SimCompany, "id">[];
  readonly statuses?: readonly SimStatus[];
}

export class PsaSimState {
  companies: SimCompany[] = [];
  tickets: SimTicket[] = [];
  statuses: SimStatus[] = [];
  faults: PsaFault[] = [];
  /** Requests by route name (every request but the control calls), 401s included. */
  counters: Record<string, number> = {};
  /** Bearer tokens issued (Halo); `tokens.clear()` revokes them all. */
  readonly tokens = new Set<string>();
  /** Delay before every answer, so tests can see how many requests a client has in flight. */
  latencyMs = 0;
  inFlight = 0;
  /** The most requests in flight at once since the last reset. */
  peakInFlight = 0;
  private nextId = 1000;
  private held: (() => void)[] = [];
  private onHeld: (() => void)[] = [];

  constructor(
    readonly vendor: PsaVendor,
    private readonly seed: Required<PsaSimSeed>,
  ) {
    this.reset();
  }

  reset(): void {
    this.nextId = 1000;
    this.companies = this.seed.companies.map((c, i) => ({ ...c, id: 250 + i }));
    this.statuses = [...this.seed.statuses];
    this.tickets = [];
    this.faults = [];
    this.counters = {};
    this.tokens.clear();
    this.latencyMs = 0;
    this.peakInFlight = this.inFlight;
    this.releaseHeld();
  }

  /** Holds a request or its answer (a `hold-before` or `hold-after` fault) until releaseHeld(). */
  hold(): Promise<void> {
    return new Promise((resolve) => {
      this.held.push(resolve);
      for (const notify of this.onHeld.splice(0)) notify();
    });
  }

  /** Resolves once an answer is held (at once if one is). */
  whenHeld(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise((resolve) => this.onHeld.push(resolve));
  }

  /** Sends every held answer (to a caller that may be gone). */
  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }

  newId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  addFault(fault: PsaFault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault that applies to this request, used up by one. */
  takeFault(route: string): PsaFault | undefined {
    const fault = this.faults.find((f) => (f.route === route || f.route === "*") && (f.times === undefined || f.times > 0));
    if (fault?.times !== undefined) fault.times -= 1;
    return fault;
  }

  count(route: string): void {
    this.counters[route] = (this.counters[route] ?? 0) + 1;
  }

  ticket(id: number): SimTicket | undefined {
    return this.tickets.find((t) => t.id === id);
  }

  company(id: number): SimCompany | undefined {
    return this.companies.find((c) => c.id === id);
  }

  status(id: number): SimStatus | undefined {
    return this.statuses.find((s) => s.id === id);
  }

  addTicket(fields: Omit<SimTicket, "id" | "notes" | "closed">): SimTicket {
    const ticket: SimTicket = { ...fields, id: this.newId(), notes: [], closed: this.status(fields.status)?.closed ?? false };
    this.tickets.push(ticket);
    return ticket;
  }

  setStatus(ticket: SimTicket, status: number): void {
    ticket.status = status;
    ticket.closed = this.status(status)?.closed ?? false;
  }

  addNote(ticket: SimTicket, text: string, internal: boolean): SimNote {
    const note = { id: this.newId(), text, internal };
    ticket.notes.push(note);
    return note;
  }
}

/** The sample companies every simulator starts with (names from the Graph simulator's estate). */
export const SAMPLE_COMPANIES: readonly Omit<SimCompany, "id">[] = [
  { name: "Fabrikam", identifier: "Fabrikam" },
  { name: "Northwind Traders", identifier: "NorthwindTraders" },
  { name: "Litware", identifier: "Litware" },
  { name: "Contoso", identifier: "Contoso" },
];
