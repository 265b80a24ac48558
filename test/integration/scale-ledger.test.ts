/**
 * The shared Graph reports budget across processes, against Azurite: three worker processes
 * (ledger-worker.ts), each a pacer with 8 checks at once drawing on one ledger row for ~5 s of a
 * compressed budget (20 per 2 s), two of them with clocks seconds off. Merged on the true clock,
 * their sends must never exceed the budget in any window.
 * And two ledgers racing for one row (the ETag conflict path), and a ledger whose storage is down
 * (the pacer waits and times out, never sends unmetered).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadStoreSettings } from "../../lib/config/settings.js";
import { BudgetTimeoutError } from "../../lib/graph/app-budget.js";
import { gcraParams, type LedgerSpec } from "../../lib/budget/gcra.js";
import { GraphPacer } from "../../lib/graph/pacing.js";
import { AZURITE_ACCOUNT, AZURITE_KEY } from "../../cli/demo/azurite.js";
import { BudgetLedger, openMonitorTable, tableClientFactory } from "../../lib/store/index.js";
import { BUDGET_PARTITION, GRAPH_REPORTS_BUDGET_ROW } from "../../lib/store/monitor/keys.js";

const WORKER = fileURLToPath(new URL("./ledger-worker.ts", import.meta.url));
// T = ⌈(2 000 + 200 + 2·50 + 50) / (20 − 1 − 1)⌉ = 131 ms.
const SPEC: LedgerSpec = { limit: 20, windowMs: 2_000, headroom: 1, claimCells: 3, horizonMs: 600, clockSkewMs: 50, spendWithinMs: 200, arrivalJitterMs: 50 };
/** How far each worker's own clock is off: the ledger's clock is the storage service's, so these must not matter. */
const CLOCK_OFFSETS = [0, 2_500, -1_800];
const uniqueTable = () => `Ledger${randomBytes(4).toString("hex")}`;
const openTable = (name: string) => openMonitorTable(tableClientFactory(loadStoreSettings(process.env).storage), name);

/** Workers are told to start this long after the last one says it is loaded: the start is the same true time for all. */
const START_AFTER_READY_MS = 500;

/** The workers, started together once each has loaded; the last line of each one's stdout. */
async function runWorkers(env: NodeJS.ProcessEnv, offsets: readonly number[], timeoutMs: number): Promise<string[]> {
  const children = offsets.map((o) =>
    spawn(process.execPath, ["--import", "tsx", WORKER], { env: { ...env, LEDGER_CLOCK_OFFSET_MS: String(o) }, stdio: ["pipe", "pipe", "inherit"] }),
  );
  const killAll = setTimeout(() => children.forEach((c) => c.kill()), timeoutMs);
  try {
    const outs = children.map((c) => {
      let out = "";
      let markReady: () => void = () => {};
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      c.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.startsWith("ready\n")) markReady();
      });
      const done = new Promise<string>((resolve, reject) =>
        c.once("close", (code) => (code === 0 ? resolve(out.trim().split("\n").at(-1) ?? "") : reject(new Error(`worker exited ${code}:\n${out}`)))),
      );
      return { ready, done };
    });
    await Promise.race([Promise.all(outs.map((o) => o.ready)), Promise.all(outs.map((o) => o.done))]);
    const startAt = Date.now() + START_AFTER_READY_MS;
    for (const c of children) c.stdin.end(`${startAt}\n`);
    return await Promise.all(outs.map((o) => o.done));
  } finally {
    clearTimeout(killAll);
    // A worker that failed leaves the others waiting for a start: none outlives the test.
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

/** Most of `times` within any closed window of `ms`. */
function maxInWindow(times: readonly number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! > ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("one Graph reports budget across processes", () => {
  it("three worker processes, two with clocks seconds off, never send more than the budget in any window", { timeout: 90_000 }, async () => {
    const table = uniqueTable();
    const env = { ...process.env, LEDGER_SPEC: JSON.stringify(SPEC), LEDGER_TABLE: table, LEDGER_SPEND_MS: "5000", LOOPS: "8" };
    const runs = await runWorkers(env, CLOCK_OFFSETS, 60_000);
    type Worker = { sent: number[]; reads: number; writes: number; conflicts: number; probes: number; lapsed: number; maxLagMs: number };
    const workers = runs.map((r) => JSON.parse(r) as Worker);
    const sent = workers.flatMap((w) => w.sent);
    const worst = maxInWindow(sent, SPEC.windowMs);
    const total = (k: "reads" | "writes" | "conflicts" | "probes" | "lapsed") => workers.reduce((sum, w) => sum + w[k], 0);
    const span = Math.max(...sent) - Math.min(...sent);
    const lag = Math.max(...workers.map((w) => w.maxLagMs));
    console.log(
      `ledger: ${sent.length} sends over ${span} ms by 3 processes (${workers.map((w) => w.sent.length).join("/")}); ` +
        `Table: ${total("reads")} reads, ${total("writes")} writes, ${total("conflicts")} ETag conflicts, ${total("probes")} clock probes; ` +
        `${total("lapsed")} cells lapsed (event loop lag up to ${lag} ms); ` +
        `max ${worst} in any ${SPEC.windowMs} ms (budget ${SPEC.limit}, the ledger's bound ${SPEC.limit - SPEC.headroom})`,
    );
    expect(workers.every((w) => w.sent.length > 0)).toBe(true);
    expect(worst).toBeLessThanOrEqual(SPEC.limit);
    expect(worst).toBeLessThanOrEqual(SPEC.limit - SPEC.headroom);
    // The budget is used, not only respected: 5 s at one slot per T, less what lapses on a loaded machine.
    expect(sent.length).toBeGreaterThanOrEqual(Math.floor((0.8 * 5_000) / gcraParams(SPEC).intervalMs));
  });

  it("two ledgers racing for one row: conflicts are retried, and the row moves an interval for every cell granted", async () => {
    const name = uniqueTable();
    const a = new BudgetLedger(openTable(name), { spec: SPEC });
    const b = new BudgetLedger(openTable(name), { spec: SPEC });
    const now = Date.now();
    const claims = await Promise.all([a, b, a, b, a, b].map((ledger) => ledger.claim([2], now)));
    expect(a.conflicts + b.conflicts).toBeGreaterThan(0);
    const granted = claims.reduce((sum, c) => sum + c.granted, 0);
    expect(granted).toBe(a.granted + b.granted);
    expect(granted).toBeGreaterThanOrEqual(2);
    for (const c of claims) {
      if (c.granted === 0) expect(c.retryAt).toBeGreaterThan(now);
      // Within a claim, one slot per interval.
      for (let i = 1; i < (c.slots ?? []).length; i++) expect(c.slots![i]! - c.slots![i - 1]!).toBe(a.params.intervalMs);
    }
    // No lost update: every cell granted moved the row by T from the first slot, which is no earlier than the first claim
    // (Azurite stamps with this machine's clock, so the service's time is ours here).
    const row = await openTable(name).getRow(BUDGET_PARTITION, GRAPH_REPORTS_BUDGET_ROW, "the ledger");
    expect(row?.Tat).toBeGreaterThanOrEqual(now - 5 + granted * a.params.intervalMs);
  });

  it("a ledger row ten years ahead (a clock far ahead, a hand edit) is repaired, not obeyed: report requests go within seconds", async () => {
    const name = uniqueTable();
    const table = openTable(name);
    const client = await table.ready();
    const tenYears = Date.now() + 10 * 365 * 24 * 60 * 60_000;
    await client.upsertEntity({ partitionKey: BUDGET_PARTITION, rowKey: GRAPH_REPORTS_BUDGET_ROW, Tat: tenYears, IntervalMs: 1, ClaimCells: 1 }, "Replace");
    const ledger = new BudgetLedger(table, { spec: SPEC });
    const pacer = new GraphPacer(undefined, undefined, { appBudget: ledger, maxWaitMs: 5_000 });
    const permits = await Promise.all(["a", "b", "c"].map((tenant) => pacer.acquire(tenant, { reports: 1 })));
    expect(permits).toHaveLength(3);
    // Rewritten on the service's clock: within a horizon and a few intervals of now, however far ahead it was.
    const row = await table.getRow(BUDGET_PARTITION, GRAPH_REPORTS_BUDGET_ROW, "the ledger");
    expect(row?.Tat).toBeLessThan(Date.now() + SPEC.horizonMs + 5 * ledger.params.intervalMs);
  });

  it("storage down: the pacer says so, waits, and gives up with BudgetTimeoutError instead of sending unmetered", async () => {
    // Nothing listens on port 1: every claim fails at once, through the real Table client.
    const down = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:1/${AZURITE_ACCOUNT}`;
    const factory = tableClientFactory({ kind: "connection-string", connectionString: down }, { clientOptions: { retryOptions: { maxRetries: 0 } } });
    const errors: unknown[] = [];
    const pacer = new GraphPacer(undefined, undefined, {
      appBudget: new BudgetLedger(openMonitorTable(factory, uniqueTable()), { spec: SPEC }),
      maxWaitMs: 1_500,
      claimRetryMs: 100,
      onClaimError: (e) => errors.push(e),
    });
    const started = Date.now();
    await expect(pacer.acquire("t", { reports: 1 })).rejects.toBeInstanceOf(BudgetTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    // CA requests do not wait on the ledger.
    await expect(pacer.acquire("t", { ca: 1 })).resolves.toBeDefined();
  });
});
