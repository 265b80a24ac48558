/**
 * A process's acquires waiting for claimed app-budget cells, in arrival order: each may spend only
 * the cells after those the ones before it want, so a batch that needs two cells at once is not
 * overtaken by every single-cell request that wakes first (measured: 37 of 20,000 checks late at
 * 10,000 tenants before this, docs/scale.md "Fairness"). A waiter ahead that is held up by its own
 * tenant's windows keeps its cells for that short while; they may lapse, which costs budget, never
 * correctness. At most a few dozen waiters per process: a plain array is enough.
 */
export interface CellTicket {
  readonly cells: number;
}

export class CellQueue {
  private readonly tickets: CellTicket[] = [];

  /** Takes a place at the back of the line. */
  join(cells: number): CellTicket {
    const ticket = { cells };
    this.tickets.push(ticket);
    return ticket;
  }

  /** Cells wanted by the tickets before this one: the earliest cells held are theirs. */
  ahead(ticket: CellTicket): number {
    let sum = 0;
    for (const t of this.tickets) {
      if (t === ticket) return sum;
      sum += t.cells;
    }
    return sum;
  }

  leave(ticket: CellTicket | undefined): void {
    if (!ticket) return;
    const i = this.tickets.indexOf(ticket);
    if (i >= 0) this.tickets.splice(i, 1);
  }
}
