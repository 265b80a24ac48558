/**
 * The benchmark's Graph simulator, in a process of its own so that the benchmark's peak RSS is
 * the product's (runner, pacer, credentials, store client), not the simulator's 5,000 tenants.
 *
 * The parent (`startSimProcess`) spawns this same file with `--sim-child`; the child generates
 * the estate (bench/estate.ts, deterministic for a given N), starts the simulator with every
 * documented budget on, and answers the parent over the IPC channel: the tenants it serves, its
 * counters and throttling stats, a counter reset, its own peak RSS. It exits when told to or
 * when the parent goes away (the IPC channel closes), so it never outlives the benchmark.
 */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SimCounters } from "../sim/types.js";
import type { ThrottleStats } from "../sim/rate-limit.js";
import type { BenchTenant } from "./estate.js";
import { errorMessage } from "../lib/errors/text.js";

export const SIM_CHILD_FLAG = "--sim-child";

export interface SimSnapshot {
  readonly counters: SimCounters;
  readonly stats: ThrottleStats;
}

/** What the benchmark needs of the simulator: its URL, its counters, and a way to stop it. */
export interface SimHandle {
  readonly url: string;
  readonly tenants: readonly BenchTenant[];
  resetCounters(): Promise<void>;
  snapshot(): Promise<SimSnapshot>;
  /** The simulator process's peak RSS, in MB. */
  peakRssMB(): Promise<number>;
  stop(): Promise<void>;
}

type Request = { readonly id: number; readonly op: "reset" | "snapshot" | "rss" | "stop" };
type Reply = { readonly id: number; readonly value?: unknown; readonly error?: string };
type Ready = { readonly ready: true; readonly url: string; readonly tenants: BenchTenant[] } | { readonly ready: false; readonly error: string };

export interface SimProcessOptions {
  readonly tenants: number;
  readonly latencyMs: number;
  /** The share of the tenants with a second monitored account (bench/estate.ts). */
  readonly multiAccountShare: number;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Starts the simulator child and waits until it listens. */
export async function startSimProcess(o: SimProcessOptions): Promise<SimHandle> {
  const args = [SIM_CHILD_FLAG, String(o.tenants), String(o.latencyMs), String(o.multiAccountShare), o.certFile, o.keyFile];
  // The same Node and loader flags (tsx) as this process; its own heap limit, whatever ours is.
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--max-old-space-size") && !a.startsWith("--heapsnapshot"));
  const child = fork(fileURLToPath(import.meta.url), args, {
    execArgv,
    env: { ...process.env, NODE_OPTIONS: (process.env.NODE_OPTIONS ?? "").replace(/--max-old-space-size=\S+|--heapsnapshot-signal=\S+/g, "").trim() },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the simulator process exited (${code}) before it listened`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.once("message", (m) => {
      child.off("exit", onExit);
      resolve(m as Ready);
    });
  });
  if (!ready.ready) {
    child.kill();
    throw new Error(`the simulator process failed: ${ready.error}`);
  }

  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on("message", (m) => {
    const reply = m as Reply;
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.error) w.reject(new Error(reply.error));
    else w.resolve(reply.value);
  });
  child.once("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`the simulator process exited (${code})`));
    waiting.clear();
  });
  const ask = (op: Request["op"]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error("the simulator process is gone"));
      const id = (next += 1);
      waiting.set(id, { resolve, reject });
      child.send({ id, op } satisfies Request);
    });

  return {
    url: ready.url,
    tenants: ready.tenants,
    resetCounters: async () => {
      await ask("reset");
    },
    snapshot: async () => (await ask("snapshot")) as SimSnapshot,
    peakRssMB: async () => (await ask("rss")) as number,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await ask("stop").catch(() => undefined);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child: generate, serve, answer. */
async function runChild(argv: readonly string[]): Promise<void> {
  const send = (m: Ready | Reply): void => {
    if (process.connected) process.send?.(m);
  };
  try {
    const [n, latency, share, certFile, keyFile] = argv;
    const { generateEstate } = await import("./estate.js");
    const { startSimulator } = await import("../sim/server.js");
    const { GRAPH_DOCUMENTED_LIMITS } = await import("../sim/rate-limit.js");
    const { peakRssMB } = await import("./memory.js");
    const { estate, tenants } = generateEstate(Number(n), { multiAccountShare: Number(share) });
    const sim = await startSimulator({
      tls: { cert: readFileSync(certFile!, "utf8"), key: readFileSync(keyFile!, "utf8") },
      estate,
      latencyMs: Number(latency),
      rateLimits: { ...GRAPH_DOCUMENTED_LIMITS },
    });
    const stop = async (): Promise<void> => {
      await sim.stop();
      process.exit(0);
    };
    // The parent is gone (or told us to stop): never outlive the benchmark.
    process.once("disconnect", () => void stop());
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(s, () => void stop());
    process.on("message", (m) => {
      const { id, op } = m as Request;
      try {
        if (op === "reset") {
          sim.state.resetCounters();
          send({ id });
        } else if (op === "snapshot") send({ id, value: { counters: sim.state.counters, stats: sim.state.rateLimiter.stats } });
        else if (op === "rss") send({ id, value: peakRssMB() });
        else if (op === "stop") {
          send({ id });
          void stop();
        }
      } catch (error) {
        send({ id, error: errorMessage(error) });
      }
    });
    send({ ready: true, url: sim.url, tenants });
  } catch (error) {
    send({ ready: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
}

if (process.argv[2] === SIM_CHILD_FLAG) await runChild(process.argv.slice(3));
