/**
 * `npm run bench -- --tenants N [--latency-ms L] [--concurrency C] [--passes P] [--naive]`, or `--workers K`
 *
 * Generates N tenants in a Graph simulator with every documented throttling budget on (in a
 * process of its own, bench/sim-process.ts, so this process's memory is the product's), registers
 * them in Azurite (in memory, also its own process), runs the production runner over all of them
 * P times (pass 1 is a first run, later passes the steady state), and prints JSON per pass: wall
 * time against the lower bound the budgets and the latency allow (bench/README.md), Graph
 * requests and Table operations per tenant, every 429, lost or duplicated checks; then the peak
 * RSS of this process and, separately, of the simulator's. `--naive` checks the same tenants as
 * a hand-written script would, for comparison.
 *
 * The simulator's certificate is made here, and Node reads NODE_EXTRA_CA_CERTS only at start, so
 * the work runs in a child process that trusts it (cli/demo/trusted-child.ts).
 */
import { Command, InvalidArgumentError, Option } from "commander";
import pLimit from "p-limit";
import { childTls, runInTrustedChild } from "../cli/demo/trusted-child.js";
import { loadSettings, loadStoreSettings } from "../lib/config/settings.js";
import { sharedGraphPacer } from "../lib/graph/pacing.js";
import { createGraphClient } from "../lib/graph/client.js";
import { credentialCacheSizes } from "../lib/graph/credentials.js";
import { defaultRunnerDeps, type RunnerDeps } from "../lib/runner/index.js";
import { createStore } from "../lib/store/index.js";
import { GRAPH_DOCUMENTED_LIMITS } from "../sim/rate-limit.js";
import { mintToken } from "../sim/tokens.js";
import { startAzurite } from "../test/setup/azurite.js";
import { sampleMemory } from "./memory.js";
import { runNaive } from "./naive.js";
import { runPass } from "./pass.js";
import { startSimProcess } from "./sim-process.js";
import { DEFAULT_MULTI_ACCOUNT_SHARE } from "./estate.js";
import { benchWorkers } from "./workers.js";
import { benchEnv } from "./env.js";
import { costOfMonth } from "./month.js";
import { PERIODIC_READ_DEFAULTS } from "../lib/config/periodic-read-defaults.js";

interface Options {
  tenants: number;
  latencyMs: number;
  concurrency: number;
  passes: number;
  naive?: boolean;
  maxSeconds: number;
  registrationReportHours: number;
  auth: "secret" | "static-token";
  memoryLogSeconds: number;
  workers?: number;
  workersFrom: "compiled" | "source";
  multiAccountShare: number;
}

const whole = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
  return n;
};

const fraction = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a fraction from 0 to 1");
  return n;
};

async function bench(o: Options, tls: { certFile: string; keyFile: string }): Promise<void> {
  const memory = o.memoryLogSeconds > 0 ? sampleMemory(o.memoryLogSeconds * 1000, (line) => console.error(line)) : sampleMemory();
  // The simulator generates the N tenants in its own process and tells us what we need of each.
  const sim = await startSimProcess({ ...o, ...tls });
  const tenants = sim.tenants;
  const common = { tenants: o.tenants, latencyMs: o.latencyMs, multiAccountShare: o.multiAccountShare, limits: GRAPH_DOCUMENTED_LIMITS };
  /** This process (the product) and, labelled apart, the simulator's process. */
  const rss = async () => ({ peakRssMB: memory.peaks().peakRssMB, memory: memory.peaks(), simulatorPeakRssMB: await sim.peakRssMB() });
  try {
    if (o.naive) {
      const r = await runNaive(sim.url, tenants, { maxSeconds: o.maxSeconds, lookbackHours: 24 });
      console.log(
        JSON.stringify(
          {
            mode: "naive",
            ...common,
            ...r,
            secondsPerTenant: r.tenantsChecked ? r.seconds / r.tenantsChecked : null,
            projectedSecondsForAll: r.tenantsChecked ? (r.seconds / r.tenantsChecked) * o.tenants : null,
            graphRequestsPerTenant: r.tenantsChecked ? r.requests / r.tenantsChecked : null,
            throttledByEndpoint: (await sim.snapshot()).stats.byEndpoint,
            ...(await rss()),
          },
          null,
          2,
        ),
      );
      return;
    }
    const azurite = await startAzurite();
    try {
      const env = benchEnv(sim.url, azurite.connectionString, o.registrationReportHours);
      const settings = loadSettings(env);
      const storeSettings = loadStoreSettings(env);
      const store = createStore(storeSettings.storage);
      // Without the store's shared budget ledger: one process, so it paces on its own window at Graph's full 122 per 10 s
      // (the ledger's margins for many processes would cost ~7 %, docs/scale.md) and sharedGraphPacer() below is its pacer.
      const production = defaultRunnerDeps(settings, storeSettings, { tenants: store.tenants, monitor: store.monitor });
      // `static-token`: a ready token per tenant instead of a client secret, to tell the runner's
      // own memory from that of one @azure/identity credential (with its MSAL app) per tenant.
      const deps: RunnerDeps =
        o.auth === "static-token"
          ? {
              ...production,
              graphClient: (t) =>
                createGraphClient({
                  tenantId: t.tenantId,
                  settings: { graphEndpoint: sim.url, graphAuth: { mode: "token", accessToken: mintToken(t.tenantId), authorityHost: sim.url } },
                }),
            }
          : production;
      // Registered as an operator would (tenants API / CLI): UPN only, no object id yet.
      memory.phase("registering");
      const register = pLimit(16);
      await Promise.all(
        tenants.map((t) =>
          register(() => store.tenants.put({ tenantId: t.tenantId, displayName: t.displayName, accounts: [...t.accounts], recipients: ["ops@bench.example"] })),
        ),
      );
      const rssBeforeChecksMB = Math.round(process.memoryUsage().rss / 1024 / 1024);
      const passes: Awaited<ReturnType<typeof runPass>>[] = [];
      for (let p = 1; p <= o.passes; p += 1) {
        // Passes stand for schedule runs half an hour apart: let the last pass's app-wide report
        // window (10 s, counted from the answers) drain first, or its tail would bill this one.
        if (p > 1) await new Promise((resolve) => setTimeout(resolve, 10_000 + 2 * o.latencyMs + 500));
        memory.phase(`pass ${p}`);
        passes.push(
          await runPass({ pass: p, sim, store, deps, estate: tenants, tableUrl: azurite.tableUrl, latencyMs: o.latencyMs, concurrency: o.concurrency }),
        );
        console.error(`pass ${p}: ${JSON.stringify(passes[passes.length - 1]?.summary)}`);
      }
      console.log(
        JSON.stringify(
          {
            mode: "paced",
            ...common,
            auth: o.auth,
            concurrency: o.concurrency,
            registrationReportHours: o.registrationReportHours,
            passes: passes.map((p) => p.result),
            // The last pass (the steady state when there are two) at the default schedule, per 1,000 tenants.
            costPerMonthPer1000Tenants: costOfMonth(passes[passes.length - 1]!.counters),
            pacer: sharedGraphPacer().stats(),
            credentials: credentialCacheSizes(),
            rssBeforeChecksMB,
            ...(await rss()),
          },
          null,
          2,
        ),
      );
      // The closing note: the last pass (the steady state when there are two) per check.
      console.error(passes[passes.length - 1]?.note ?? "");
    } finally {
      await azurite.stop();
    }
  } finally {
    memory.stop();
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const program = new Command("bench")
    .description("check N generated tenants against the throttling Graph simulator and Azurite; print JSON")
    .option("--tenants <n>", "tenants to generate", whole(1), 200)
    .option("--latency-ms <ms>", "simulated Graph latency per HTTP request", whole(0), 100)
    .option("--concurrency <c>", "checks in flight at once", whole(1), 50)
    .option("--passes <p>", "runs over the estate (1 = first run only; 2 adds the steady state)", whole(1), 2)
    .option(
      "--multi-account-share <fraction>",
      "share of the tenants that also monitor an emergency-access account (0 to 1; a tenth by default)",
      fraction,
      DEFAULT_MULTI_ACCOUNT_SHARE,
    )
    .option("--registration-report-hours <h>", "REGISTRATION_REPORT_HOURS", whole(1), PERIODIC_READ_DEFAULTS.registrationReportHours)
    .addOption(new Option("--auth <mode>", "how the runner gets tokens").choices(["secret", "static-token"]).default("secret"))
    .option("--naive", "check the tenants as a hand-written script would (sequential, no batching)")
    .option("--max-seconds <s>", "with --naive: stop after this long and project", whole(1), 300)
    .option("--memory-log-seconds <s>", "print this process's memory to stderr every S seconds (0: only the peaks in the JSON)", whole(0), 0)
    .option("--workers <k>", "K worker processes consuming the tenant-checks queue through checkTenant, as K Functions instances (bench/workers.ts)", whole(1))
    .addOption(
      new Option("--workers-from <how>", "with --workers: run the workers compiled, as a Functions instance runs the app, or from source through tsx")
        .choices(["compiled", "source"])
        .default("compiled"),
    )
    .parse();
  const o = program.opts<Options>();
  const tls = childTls(process.env);
  if (!tls) {
    process.exitCode = await runInTrustedChild();
    return;
  }
  if (o.workers !== undefined) {
    if (o.naive) throw new InvalidArgumentError("--naive and --workers do not go together");
    await benchWorkers({ ...o, workers: o.workers }, tls);
    return;
  }
  await bench(o, tls);
}

await main();
