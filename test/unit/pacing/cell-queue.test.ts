/** The waiting line for claimed cells: arrival order, parked tickets not counted, freed cells wake the others. */
import { describe, expect, it } from "vitest";
import { CellQueue } from "../../../lib/graph/cell-queue.js";

describe("CellQueue", () => {
  it("counts the unparked tickets ahead, in arrival order", () => {
    const q = new CellQueue();
    const a = q.join(2);
    const b = q.join(1);
    const c = q.join(1);
    // Joined parked: nothing is counted until a ticket has chosen cells.
    expect(q.ahead(c)).toEqual([]);
    q.park(a, false);
    q.park(b, false);
    expect(q.ahead(a)).toEqual([]);
    expect(q.ahead(c)).toEqual([2, 1]);
    q.park(a, true);
    expect(q.ahead(c)).toEqual([1]);
    q.leave(b, true);
    expect(q.ahead(c)).toEqual([]);
  });

  it.each([
    { what: "a ticket that had chosen parks", act: (q: CellQueue, t: ReturnType<CellQueue["join"]>) => q.park(t, true), wakes: true },
    { what: "a ticket that had chosen leaves without sending", act: (q: CellQueue, t: ReturnType<CellQueue["join"]>) => q.leave(t, false), wakes: true },
    { what: "a ticket that had chosen sends", act: (q: CellQueue, t: ReturnType<CellQueue["join"]>) => q.leave(t, true), wakes: false },
    { what: "a ticket that had chosen chooses again", act: (q: CellQueue, t: ReturnType<CellQueue["join"]>) => q.park(t, false), wakes: false },
  ])("wakes the waiters when $what: $wakes", async ({ act, wakes }) => {
    const q = new CellQueue();
    const t = q.join(1);
    q.park(t, false);
    let woke: boolean | undefined;
    void q.sleep(new Promise<void>(() => {})).then((whole) => (woke = !whole));
    act(q, t);
    await Promise.resolve();
    await Promise.resolve();
    expect(woke ?? false).toBe(wakes);
  });

  it("a ticket parked before it chose wakes no one when it parks again or leaves", async () => {
    const q = new CellQueue();
    const t = q.join(2);
    let woke = false;
    void q.sleep(new Promise<void>(() => {})).then(() => (woke = true));
    q.park(t, true);
    q.leave(t, false);
    await Promise.resolve();
    expect(woke).toBe(false);
  });

  it("a sleep that ends on its own says so, and is not woken again", async () => {
    const q = new CellQueue();
    const t = q.join(1);
    q.park(t, false);
    let end!: () => void;
    const whole = q.sleep(new Promise<void>((resolve) => (end = resolve)));
    end();
    await expect(whole).resolves.toBe(true);
    q.park(t, true); // wakes no one left: the first sleep already ended
    await expect(q.sleep(Promise.resolve())).resolves.toBe(true);
  });
});
