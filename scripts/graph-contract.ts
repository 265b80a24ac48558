/**
 * The Graph contract check (.ci/run): runs the demo (`npm run demo`: the Functions app's handlers
 * against Azurite and the simulator's sample estate, two rounds) with the simulator recording every
 * Graph request and answer (SIM_RECORD_FILE, sim/record.ts), then holds them to Microsoft's own
 * description of Graph v1.0, the CSDL in ../shared/data/msgraph-metadata (read here, never copied):
 * every v1.0 request, `$batch` sub-requests included, names only entity sets, singletons,
 * properties, navigation properties, casts, functions and actions the CSDL defines on the type
 * reached; every property the simulator answers on v1.0 exists on the type it claims; every beta
 * request has its documentation page (scripts/contract/beta.ts); every fact was exercised.
 * Where ../shared is not beside the repository it says so and passes.
 *
 * `npx tsx scripts/graph-contract.ts [--recording <file.jsonl>]` (a recording given is checked
 * without running the demo).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RECORD_ENV } from "../sim/record.js";
import { BETA_DOCS } from "./contract/beta.js";
import { callsOf, checkCalls, type ContractReport } from "./contract/check.js";
import { productRequests, uncovered } from "./contract/coverage.js";
import { parseCsdl } from "./contract/csdl.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const metadata = join(repo, "..", "shared", "data", "msgraph-metadata", "v1.0-cleanMetadata.xml");
/** The demo takes about 40 s; far more means it hangs. */
const DEMO_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs the demo with the simulator recording into a fresh file; returns the recording's text and, when the
 * demo failed, why (what it recorded is still checked: its failure is its own, the recording's violations ours).
 */
function recordDemo(): { text: string; failure?: string } {
  const dir = mkdtempSync(join(tmpdir(), "graph-contract-"));
  try {
    const file = join(dir, "graph.jsonl");
    const run = spawnSync(process.execPath, ["--import", "tsx", join(repo, "cli", "main.ts"), "demo"], {
      cwd: repo,
      env: { ...process.env, [RECORD_ENV]: file, OUTBOX_DIR: join(dir, "outbox") },
      encoding: "utf8",
      timeout: DEMO_TIMEOUT_MS,
    });
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (run.status === 0) return { text };
    process.stderr.write(`${run.stdout ?? ""}${run.stderr ?? ""}`);
    return { text, failure: `the demo exited with ${run.status ?? run.signal ?? run.error?.message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(report: ContractReport, missing: readonly string[]): void {
  console.log(`graph contract: ${report.sent} requests recorded ($batch sub-requests counted one by one)`);
  console.log(
    `  v1.0: ${report.requests.size} distinct requests checked against the CSDL (${report.queried.size} properties named in $select/$filter/$orderby/$expand)`,
  );
  console.log(`  v1.0 answers: ${report.answers} walked, ${report.walk.properties.size} distinct response properties verified (${report.walk.values} values)`);
  for (const [request, doc] of report.beta) console.log(`  beta: ${request} — ${doc ?? "NO DOCUMENTATION PAGE LISTED"}`);
  for (const m of missing) console.error(`  not exercised by the run: ${m}`);
  for (const p of [...report.problems].sort()) console.error(`  VIOLATION ${p}`);
}

function main(): number {
  const { values } = parseArgs({ options: { recording: { type: "string" } } });
  if (!existsSync(metadata)) {
    console.log(`graph contract: skipped (no ${metadata} beside the repository)`);
    return 0;
  }
  const model = parseCsdl(readFileSync(metadata, "utf8"));
  const recorded = values.recording ? { text: readFileSync(values.recording, "utf8") } : recordDemo();
  const calls = callsOf(recorded.text);
  const report = checkCalls(model, calls, BETA_DOCS);
  const missing = uncovered(productRequests(), calls).map((r) => `${r.name} (${r.template})`);
  print(report, missing);
  if (recorded.failure) console.error(`graph contract: ${recorded.failure} (its output above)`);
  const failures = report.problems.size + missing.length + (recorded.failure ? 1 : 0);
  console.log(failures === 0 ? "graph contract: every request and answer matches Graph v1.0's CSDL" : `graph contract: ${failures} violation(s)`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();
