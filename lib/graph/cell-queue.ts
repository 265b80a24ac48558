/**
 * A process's acquires waiting for claimed app-budget cells, in arrival order: the ones before a
 * waiter choose their cells first (ClaimedCells.choose), so a batch that needs two cells at once is not
 * overtaken by every single-cell request that wakes first (docs/scale.md "Fairness").
 *
 * A ticket counts only while its holder is waiting for the slot of the cells it chose. One that
 * sleeps for anything else (a claim in flight, the ledger's "ask again at", its tenant's own
 * windows) is parked: it keeps its place, but the cells go to the ones behind meanwhile. Counting
 * it, the cells it would have chosen have no one awake to send them and lapse in bursts. A ticket that had chosen
 * cells and parks, or leaves without sending, frees them: the waiters behind are woken to look
 * again (`sleep`), else one asleep until the ledger's "ask again at" would miss them.
 * At most a few dozen waiters per process: a plain array is enough.
 */
export interface CellTicket {
  readonly cells: number;
  /** Asleep on something other than its cells' slot, or not chosen yet: not counted by the ones behind. */
  parked: boolean;
}

export class CellQueue {
  private readonly tickets: CellTicket[] = [];
  /** Waiters asleep now, each woken at most once: a set, not one shared promise every sleep would add a reaction to. */
  private readonly sleepers = new Set<() => void>();

  /** Waits for `sleep`, or less when cells a ticket had chosen are free again: true if it slept the whole time. */
  sleep(sleep: Promise<void>): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const end = (whole: boolean) => () => {
        if (!this.sleepers.delete(wake)) return;
        resolve(whole);
      };
      const wake = end(false);
      this.sleepers.add(wake);
      void sleep.then(end(true));
    });
  }

  private freed(): void {
    const asleep = [...this.sleepers];
    for (const wake of asleep) wake();
  }

  /** Parked: asleep on something other than the slot of cells it chose. Parking a ticket that had chosen wakes the others. */
  park(ticket: CellTicket, parked: boolean): void {
    if (parked && !ticket.parked) this.freed();
    ticket.parked = parked;
  }

  /** Takes a place at the back of the line. */
  join(cells: number): CellTicket {
    const ticket = { cells, parked: true };
    this.tickets.push(ticket);
    return ticket;
  }

  /** Cells wanted by every ticket, parked or not: what a claim is sized by. */
  wanted(): number {
    let sum = 0;
    for (const t of this.tickets) sum += t.cells;
    return sum;
  }

  /** What the unparked tickets before this one want, in arrival order: they choose their cells first (ClaimedCells). */
  ahead(ticket: CellTicket): number[] {
    const i = this.tickets.indexOf(ticket);
    return this.tickets
      .slice(0, i < 0 ? this.tickets.length : i)
      .filter((t) => !t.parked)
      .map((t) => t.cells);
  }

  /** Out of the line; `sent` false (a timeout, an error) frees what it had chosen. */
  leave(ticket: CellTicket | undefined, sent: boolean): void {
    if (!ticket) return;
    const i = this.tickets.indexOf(ticket);
    if (i >= 0) this.tickets.splice(i, 1);
    if (!sent) this.park(ticket, true);
  }
}
