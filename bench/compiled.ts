/**
 * The benchmark's worker processes run the app as compiled JavaScript, as a Functions instance
 * does (azure.yaml deploys the dist/ that `npm run build` makes; the host's Node worker loads
 * it), not through tsx as the rest of the benchmark does. tsx's loader is not part of the
 * deployed shape and it is not small: it keeps every module's transformed source and source map,
 * tens of MB that would be charged to the per-worker RSS target (bench/README.md gives the figures).
 *
 * `tsc -p tsconfig.bench.json` compiles the worker's entry and what it imports with the project's
 * own compiler options (the build's), into node_modules/.cache/ so that the compiled files
 * resolve the same node_modules and nothing lands in the repository or the deployed dist/.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** tsconfig.bench.json's outDir. */
const OUT_DIR = join(ROOT, "node_modules", ".cache", "drift-monitor-bench");

/** Compiles the benchmark's worker; resolves to its entry file. Fails with tsc's own words. */
export async function compileWorker(): Promise<string> {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.bench.json")], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message?: string };
    throw new Error(`compiling the benchmark's worker failed (tsc -p tsconfig.bench.json):\n${out.stdout ?? ""}${out.stderr ?? out.message ?? ""}`);
  }
  return join(OUT_DIR, "bench", "worker-process.js");
}

/**
 * This process's Node flags without the ones tsx added (its `--require` preflight and `--import`
 * loader), so a compiled child keeps what the operator chose (a heap limit, say) and nothing else.
 */
export function nodeFlagsWithoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i += 1) {
    const flag = execArgv[i]!;
    const joined = /^--(require|import|loader|experimental-loader)=(.*)$/.exec(flag);
    if (joined) {
      if (!isTsx(joined[2]!)) out.push(flag);
      continue;
    }
    if (/^(--require|-r|--import|--loader|--experimental-loader)$/.test(flag) && i + 1 < execArgv.length) {
      const value = execArgv[i + 1]!;
      if (!isTsx(value)) out.push(flag, value);
      i += 1;
      continue;
    }
    out.push(flag);
  }
  return out;
}

function isTsx(specifier: string): boolean {
  return specifier === "tsx" || specifier.startsWith("tsx/") || /[\\/]node_modules[\\/]tsx[\\/]/.test(specifier);
}
