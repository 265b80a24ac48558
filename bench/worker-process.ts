/**
 * One Functions instance of the benchmark's `--workers K` mode, in a process of its own: it builds
 * the app as production does (`getApp()`: createApp from this process's environment, which points
 * at the shared Azurite and the simulator; so whatever pacer the production wiring uses is the
 * one used here) and consumes the real `tenant-checks` queue through the real `checkTenant`
 * handler with the host's listener (bench/queue-listener.ts, host.json's numbers).
 *
 * The parent (`startWorker`) forks this same file with `--worker-child`; over the IPC channel it
 * says when to poll (`start`) and when to stop fetching and report (`pause`: waits for the
 * messages in flight, answers with this process's peak RSS); the worker reports every delivery
 * as it ends. It exits when told to or when the parent goes away.
 */
import { fork } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createApp, getApp, setApp } from "../functions/app/app.js";
import { checkTenant } from "../functions/handlers/check-tenant.js";
import { queueServiceClient } from "../functions/queue/client.js";
import { poisonQueueName } from "../functions/queue/names.js";
import { createGraphClient } from "../lib/graph/client.js";
import { errorMessage } from "../lib/errors/text.js";
import type { PacerStats } from "../lib/graph/pacer-options.js";
import { mintToken } from "../sim/tokens.js";
import { sampleMemory } from "./memory.js";
import { QueueListener, type Delivery } from "./queue-listener.js";
import { tallyTableOps, type TableTally } from "./table-ops.js";

const WORKER_CHILD_FLAG = "--worker-child";
/** `static-token`: a ready token per tenant instead of the client secret (bench/main.ts `--auth`). */
const AUTH_ENV = "BENCH_WORKER_AUTH";

/** One delivery as the parent sees it. */
export interface WorkerDelivery {
  readonly worker: number;
  readonly tenantId: string | undefined;
  readonly outcome: Delivery["outcome"];
  readonly dequeueCount: number;
  /** checkTenant's result kind (checked, late, poisoned, skipped) when it returned; `malformed` for undefined. */
  readonly kind?: string;
  readonly status?: string;
  readonly error?: string;
}

export interface WorkerReport {
  readonly worker: number;
  readonly pid: number | undefined;
  /** VmHWM of the worker process. */
  readonly peakRssMB: number;
  readonly memory: ReturnType<ReturnType<typeof sampleMemory>["peaks"]>;
  readonly deliveries: number;
  readonly pacer: unknown;
  /** This worker's Table requests since it started (bench/table-ops.ts); absent when its storage names no table endpoint. */
  readonly table?: TableTally;
}

export interface WorkerHandle {
  readonly pid: number | undefined;
  /** Settles when the process exits, however; with its exit code (null: a signal). */
  readonly exited: Promise<number | null>;
  start(): Promise<void>;
  pause(): Promise<WorkerReport>;
  stop(): Promise<void>;
}

type Request = { readonly id: number; readonly op: "start" | "pause" | "stop" };
type Reply = { readonly id: number; readonly value?: unknown; readonly error?: string };
type Event = { readonly delivery: WorkerDelivery } | { readonly ready: true } | { readonly ready: false; readonly error: string };

export interface StartWorkerOptions {
  /** The app's settings, added to this process's environment. */
  readonly env: Record<string, string>;
  readonly auth: string;
  readonly onDelivery: (d: WorkerDelivery) => void;
  /**
   * This file compiled (bench/compiled.ts) and the Node flags to run it with, as a Functions
   * instance runs the app; without it, this file as it is loaded here (through tsx).
   */
  readonly compiled?: { readonly entry: string; readonly execArgv: readonly string[] };
}

/** Forks worker `index`; resolves once it listens for orders. */
export async function startWorker(index: number, o: StartWorkerOptions): Promise<WorkerHandle> {
  const { env, auth, onDelivery } = o;
  const child = fork(o.compiled?.entry ?? fileURLToPath(import.meta.url), [WORKER_CHILD_FLAG, String(index)], {
    ...(o.compiled ? { execArgv: [...o.compiled.execArgv] } : {}),
    env: { ...process.env, ...env, [AUTH_ENV]: auth },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => {
      reject(new Error(`worker ${index} exited (${code}) before it was ready`));
      for (const w of waiting.values()) w.reject(new Error(`worker ${index} exited (${code})`));
      waiting.clear();
    });
    child.on("message", (m) => {
      const event = m as Event | Reply;
      if ("delivery" in event) onDelivery(event.delivery);
      else if ("ready" in event) {
        if (event.ready) resolve();
        else reject(new Error(`worker ${index} failed: ${event.error}`));
      } else {
        const w = waiting.get(event.id);
        waiting.delete(event.id);
        if (event.error) w?.reject(new Error(event.error));
        else w?.resolve(event.value);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await ready;
  const ask = (op: Request["op"]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error(`worker ${index} is gone`));
      const id = (next += 1);
      waiting.set(id, { resolve, reject });
      child.send({ id, op } satisfies Request);
    });
  return {
    pid: child.pid,
    exited,
    start: async () => void (await ask("start")),
    pause: async () => (await ask("pause")) as WorkerReport,
    stop: async () => {
      if (child.exitCode !== null) return;
      await ask("stop").catch(() => undefined);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function tenantOf(payload: unknown): string | undefined {
  const id = (payload as { tenantId?: unknown } | null)?.tenantId;
  return typeof id === "string" ? id : undefined;
}

/** The child: build the app, listen when told, report every delivery. */
async function runChild(worker: number): Promise<void> {
  const send = (m: Event | Reply): void => {
    if (process.connected) process.send?.(m);
  };
  try {
    const memory = sampleMemory();
    if (process.env[AUTH_ENV] === "static-token") {
      const graphEndpoint = process.env.GRAPH_ENDPOINT!;
      setApp(
        createApp({
          runner: {
            graphClient: (t) =>
              createGraphClient({
                tenantId: t.tenantId,
                settings: { graphEndpoint, graphAuth: { mode: "token", accessToken: mintToken(t.tenantId), authorityHost: graphEndpoint } },
              }),
          },
        }),
      );
    }
    const app = getApp(); // from process.env, as the Functions host's worker builds it
    const tableUrl = /TableEndpoint=([^;]+)/.exec(process.env.AzureWebJobsStorage ?? "")?.[1];
    const table = tableUrl ? tallyTableOps(tableUrl) : undefined;
    const service = queueServiceClient(app.storeSettings.storage);
    const queue = service.getQueueClient(app.queueNames.tenantChecks);
    const poison = service.getQueueClient(poisonQueueName(app.queueNames.tenantChecks));
    let deliveries = 0;
    const listener = new QueueListener(queue, poison, checkTenant, (d) => {
      deliveries += 1;
      const r = d.result as { kind?: string; status?: string } | undefined;
      const delivery: WorkerDelivery = {
        worker,
        tenantId: tenantOf(d.payload),
        outcome: d.outcome,
        dequeueCount: d.dequeueCount,
        ...(d.outcome === "returned" ? { kind: r?.kind ?? "malformed" } : {}),
        ...(r?.status ? { status: r.status } : {}),
        ...(d.error ? { error: d.error } : {}),
      };
      send({ delivery });
    });
    const stop = (): void => process.exit(0);
    process.once("disconnect", stop);
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(s, stop);
    process.on("message", (m) => {
      const { id, op } = m as Request;
      const answer = async (): Promise<unknown> => {
        if (op === "start") return listener.start();
        if (op === "pause") {
          await listener.stop();
          // Whatever pacer the production wiring gave the runner; its counters when it keeps any.
          const pacer = app.runnerDeps().collectOptions?.pacer as { stats?: () => unknown } | undefined;
          const peaks = memory.peaks();
          const report: WorkerReport = { worker, pid: process.pid, peakRssMB: peaks.peakRssMB, memory: peaks, deliveries, pacer: pacer?.stats?.() };
          return table ? { ...report, table: table.snapshot() } : report;
        }
        setImmediate(stop);
        return undefined;
      };
      answer().then(
        (value) => send({ id, value }),
        (error: unknown) => send({ id, error: errorMessage(error) }),
      );
    });
    startTrace(worker, listener, () => app.runnerDeps().collectOptions?.pacer as { stats?: () => PacerStats } | undefined);
    send({ ready: true });
  } catch (error) {
    send({ ready: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
}

/**
 * `BENCH_TRACE=dir`: every 250 ms, one line per worker to `dir/worker-N.tsv`: time, checks in
 * flight, report cells waiting for their slots in the pacer, cells granted so far, lapsed so far, and the
 * event loop's worst delay since the last line. For finding where a pass's time went.
 */
function startTrace(worker: number, listener: QueueListener, pacerOf: () => { stats?: () => PacerStats } | undefined): void {
  const dir = process.env.BENCH_TRACE;
  if (!dir) return;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  mkdirSync(dir, { recursive: true }); // a directory the operator names need not exist yet
  const file = `${dir}/worker-${worker}.tsv`;
  writeFileSync(file, "t\tinFlight\tappWaiting\tgranted\tlapsed\tlagMaxMs\n");
  setInterval(() => {
    const s = pacerOf()?.stats?.();
    const pacer = [s?.appWaiting ?? "", s?.appBudget?.granted ?? "", s?.lapsedCells ?? ""];
    const line = [Date.now(), listener.inFlight, ...pacer, Math.round(lag.max / 1e6)];
    lag.reset();
    appendFileSync(file, line.join("\t") + "\n");
  }, 250).unref();
}

if (process.argv[2] === WORKER_CHILD_FLAG) await runChild(Number(process.argv[3]));
