/**
 * `npm run bench -- --workers K`: the benchmark in the deployed shape. K worker processes
 * (bench/worker-process.ts), each standing for one Flex Consumption instance, consume the real
 * `tenant-checks` queue in one Azurite (one storage account) through the real `checkTenant`
 * handler with the host's listener and host.json's numbers; the queue is filled by the real
 * `scheduleChecks` timer handler, run here. All of them talk to one simulator process with every
 * documented Graph budget on. Each worker builds the app from its environment as production does,
 * so it paces Graph with whatever the production wiring provides.
 *
 * Per pass: reset the simulator's counters, tell every worker to poll, run the timer, wait until
 * every queued tenant's message has ended (returned or poisoned), tell the workers to pause, and
 * account (bench/workers-pass.ts). Then the workers' peak RSS, each its own VmHWM.
 */
import { performance } from "node:perf_hooks";
import pLimit from "p-limit";
import { createApp, setApp } from "../functions/app/app.js";
import { invocationContext, timerInfo } from "../functions/handlers/context.js";
import { scheduleChecks } from "../functions/handlers/schedule-checks.js";
import { QUEUE_HOST_SETTINGS } from "../lib/config/host.js";
import { GRAPH_DOCUMENTED_LIMITS } from "../sim/rate-limit.js";
import { startAzurite } from "../test/setup/azurite.js";
import { sampleMemory } from "./memory.js";
import { startSimProcess } from "./sim-process.js";
import { startWorker, type WorkerDelivery, type WorkerHandle, type WorkerReport } from "./worker-process.js";
import { workersPassResult } from "./workers-pass.js";
import { benchEnv } from "./env.js";
import { compileWorker, nodeFlagsWithoutTsx } from "./compiled.js";
import type { TableTally } from "./table-ops.js";

interface WorkersOptions {
  readonly tenants: number;
  /** The fraction of tenants with two monitored accounts in the simulator's data. */
  readonly latencyMs: number;
  readonly passes: number;
  readonly workers: number;
  readonly registrationReportHours: number;
  readonly multiAccountShare: number;
  readonly auth: string;
  /** `compiled`: the workers run the app compiled, as deployed (bench/compiled.ts); `source`: through tsx. */
  readonly workersFrom: "compiled" | "source";
}

/** A pass that has not ended after this long is reported as such (the messages' retries included). */
const PASS_TIMEOUT_MS = 2 * 60 * 60_000;
/** Checks one worker runs at once: the host fetches batchSize and fetches again at newBatchThreshold. */
const PER_WORKER = QUEUE_HOST_SETTINGS.batchSize + QUEUE_HOST_SETTINGS.newBatchThreshold;

export async function benchWorkers(o: WorkersOptions, tls: { certFile: string; keyFile: string }): Promise<void> {
  const memory = sampleMemory();
  const compiled = o.workersFrom === "compiled" ? { entry: await compileWorker(), execArgv: nodeFlagsWithoutTsx(process.execArgv) } : undefined;
  const sim = await startSimProcess({ ...o, ...tls });
  const workers: WorkerHandle[] = [];
  try {
    const azurite = await startAzurite();
    try {
      // What a deployment's app settings hold; every worker gets the same, as every instance does.
      const env = benchEnv(sim.url, azurite.connectionString, o.registrationReportHours);
      // This process runs the timer (and registers the tenants, as an operator would: UPN only).
      const app = createApp({ env });
      setApp(app);
      const register = pLimit(16);
      await Promise.all(
        sim.tenants.map((t) =>
          register(() =>
            app.store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, accounts: [...t.accounts], recipients: ["ops@bench.example"] }),
          ),
        ),
      );

      let deliveries: WorkerDelivery[] = [];
      let check = (_d?: WorkerDelivery): void => {};
      const onDelivery = (d: WorkerDelivery): void => {
        deliveries.push(d);
        check(d);
      };
      workers.push(...(await Promise.all(Array.from({ length: o.workers }, (_, k) => startWorker(k, { env, auth: o.auth, onDelivery, compiled })))));

      const passes = [];
      let reports: WorkerReport[] = [];
      let countersBefore: Record<string, number> = {};
      let note = "";
      let tableBefore = tableTotals([]);
      for (let p = 1; p <= o.passes; p += 1) {
        // Passes stand for schedule runs half an hour apart: let the last pass's report window drain.
        if (p > 1) await new Promise((resolve) => setTimeout(resolve, 10_000 + 2 * o.latencyMs + 500));
        const before = await app.store.monitor.listStates();
        await sim.resetCounters();
        deliveries = [];
        await Promise.all(workers.map((w) => w.start()));
        const started = performance.now();
        const summary = await scheduleChecks(timerInfo(new Date()), invocationContext({ logHandler: () => {} }));
        const scheduleSeconds = (performance.now() - started) / 1000;
        const queued = new Set(summary.enqueued);
        const ended = new Set<string>();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`pass ${p}: ${queued.size - ended.size} tenant(s) unfinished after ${PASS_TIMEOUT_MS / 1000} s`)),
            PASS_TIMEOUT_MS,
          );
          // Deliveries may have ended while the timer still queued: the first call reads them all.
          check = (one) => {
            for (const d of one ? [one] : deliveries) if (d.tenantId && d.outcome !== "threw" && queued.has(d.tenantId)) ended.add(d.tenantId);
            if (ended.size >= queued.size) {
              clearTimeout(timer);
              resolve();
            }
          };
          check();
          // A worker that dies mid-pass (as an instance can) would leave its messages to their 10-minute lease: say so instead.
          for (const [k, w] of workers.entries()) void w.exited.then((code) => reject(new Error(`pass ${p}: worker ${k} exited (${code}) during the pass`)));
        });
        check = () => {};
        const wallSeconds = (performance.now() - started) / 1000;
        reports = await Promise.all(workers.map((w) => w.pause()));
        const pass = workersPassResult({
          pass: p,
          workers: o.workers,
          perWorker: PER_WORKER,
          estate: sim.tenants,
          enqueued: summary.enqueued,
          deliveries,
          snapshot: await sim.snapshot(),
          before,
          after: await app.store.monitor.listStates(),
          wallSeconds,
          scheduleSeconds,
          latencyMs: o.latencyMs,
        });
        const counters = pacerCounters(reports);
        const budget = Object.fromEntries(Object.entries(counters).map(([k, v]) => [k, v - (countersBefore[k] ?? 0)]));
        countersBefore = counters;
        const budgetUse = { ...budget, cellsPerSecond: Math.round(((budget["appBudget.granted"] ?? 0) / wallSeconds) * 100) / 100 };
        note = pass.note;
        const tableNow = tableTotals(reports);
        const table = tableUse(tableNow, tableBefore, summary.enqueued.length);
        tableBefore = tableNow;
        passes.push({ ...pass.result, workerPeakRssMB: reports.map((r) => r.peakRssMB), budgetUse, table });
        console.error(`pass ${p}: ${JSON.stringify({ ...pass.summary, budgetUse })}`);
      }
      console.log(
        JSON.stringify(
          {
            mode: "workers",
            tenants: o.tenants,
            latencyMs: o.latencyMs,
            limits: GRAPH_DOCUMENTED_LIMITS,
            workers: o.workers,
            auth: o.auth,
            workersFrom: o.workersFrom,
            registrationReportHours: o.registrationReportHours,
            multiAccountShare: o.multiAccountShare,
            host: { ...QUEUE_HOST_SETTINGS, checksInFlightPerWorker: PER_WORKER },
            passes,
            workerPeakRssMB: reports.map((r) => r.peakRssMB),
            workerReports: reports,
            // Not the product: this process runs the timer and the benchmark's own accounting.
            schedulerPeakRssMB: memory.peaks().peakRssMB,
            simulatorPeakRssMB: await sim.peakRssMB(),
          },
          null,
          2,
        ),
      );
      // The closing note: the last pass (the steady state when there are two) per check.
      console.error(note);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await azurite.stop();
    }
  } finally {
    memory.stop();
    await sim.stop();
  }
}

/** Every worker's pacer counters (and its app budget's, as `appBudget.<name>`) summed: the ledger's grants, conflicts, probes, lapsed cells, waits. */
function pacerCounters(reports: readonly WorkerReport[]): Record<string, number> {
  const sum: Record<string, number> = {};
  const add = (key: string, value: unknown): void => {
    if (typeof value === "number") sum[key] = (sum[key] ?? 0) + value;
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) add(key ? `${key}.${k}` : k, v);
  };
  for (const r of reports) add("", r.pacer);
  delete sum.trackedTenants;
  return sum;
}

/** Every worker's Table tally, summed (each counts from its start, so a pass is the difference). */
function tableTotals(reports: readonly WorkerReport[]): TableTally {
  const sum = { ops: 0, standingsReads: 0, estateExceptionReads: 0, standingsReadMs: 0 };
  for (const t of reports.map((r) => r.table)) for (const k of Object.keys(sum) as (keyof TableTally)[]) sum[k] += t?.[k] ?? 0;
  return sum;
}

/** A pass's Table requests per check (docs/scale.md, the standings reads). */
function tableUse(now: TableTally, before: TableTally, checks: number): Record<string, number> {
  const per = (k: keyof TableTally): number => Math.round(((now[k] - before[k]) / Math.max(1, checks)) * 1000) / 1000;
  return {
    opsPerCheck: per("ops"),
    standingsReadsPerCheck: per("standingsReads"),
    estateExceptionReads: now.estateExceptionReads - before.estateExceptionReads,
    standingsReadMsPerCheck: per("standingsReadMs"),
  };
}
