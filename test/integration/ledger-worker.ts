/**
 * One worker process of scale-ledger.test.ts: a production-shaped pacer drawing on the shared
 * Table ledger, `LOOPS` checks at once sending report requests as fast as the pacer lets them,
 * for `LEDGER_SPEND_MS`. Its own clock is `LEDGER_CLOCK_OFFSET_MS` off (a host whose clock is wrong);
 * the ledger's slots are on the storage service's clock. Prints `ready` once loaded, starts spending
 * at the true time the test then writes to its stdin, and prints the true times it sent (its
 * permits) as JSON on the last line of stdout.
 */
import { createInterface } from "node:readline";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { loadStoreSettings } from "../../lib/config/settings.js";
import type { LedgerSpec } from "../../lib/budget/gcra.js";
import { GraphPacer, GRAPH_PACING_LIMITS, type PacingClock } from "../../lib/graph/pacing.js";
import { BudgetLedger, openMonitorTable, tableClientFactory } from "../../lib/store/index.js";

const env = process.env;
const spec = JSON.parse(env.LEDGER_SPEC ?? "") as LedgerSpec;
const table = openMonitorTable(tableClientFactory(loadStoreSettings(env).storage), env.LEDGER_TABLE);
const offset = Number(env.LEDGER_CLOCK_OFFSET_MS ?? "0");
const clock: PacingClock = { now: () => Date.now() + offset, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
const ledger = new BudgetLedger(table, { spec, wall: clock.now });
// Only the ledger paces: the process's own app window is opened wide, and every request is for a fresh tenant.
const pacer = new GraphPacer({ ...GRAPH_PACING_LIMITS, reportsPerApp: { limit: 1_000_000, windowMs: 1 } }, clock, {
  appBudget: ledger,
  onClaimError: (e) => process.stderr.write(`claim failed: ${String(e)}\n`),
});
const spendMs = Number(env.LEDGER_SPEND_MS ?? "5000");
const loops = Number(env.LOOPS ?? "8");
const sent: number[] = [];
let n = 0;

await table.ready();
// How late this process's timers ran: on a loaded machine, a claim can lapse before its process gets to spend it.
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
// Loading tsx takes seconds on a busy machine: the test gives every worker one start time once all are loaded.
process.stdout.write("ready\n");
const startAt = await new Promise<number>((resolve) => createInterface({ input: process.stdin }).once("line", (line) => resolve(Number(line))));
process.stdin.destroy();
const until = startAt + spendMs;
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
await Promise.all(
  Array.from({ length: loops }, async () => {
    while (Date.now() < until) {
      const i = n++;
      // Batches of one and of two report requests, as the collector sends them.
      const k = 1 + (i % 2);
      const permit = await pacer.acquire(`${process.pid}-${i}`, { reports: k });
      const at = Date.now();
      for (let j = 0; j < k; j++) sent.push(at);
      permit.release();
    }
  }),
);
process.stdout.write(
  JSON.stringify({
    pid: process.pid,
    sent,
    reads: ledger.reads,
    writes: ledger.writes,
    conflicts: ledger.conflicts,
    probes: ledger.probes,
    lapsed: pacer.stats().lapsedCells,
    maxLagMs: Math.round(lag.max / 1e6),
  }) + "\n",
);
