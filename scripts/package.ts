/**
 * `npm run package` (azd runs it before it zips the service; azure.yaml's `dist: .deploy`): stages
 * exactly what the function app runs in .deploy/: the compiled app (dist/ less the simulator and
 * the CLI), host.json, package.json and its lockfile, and node_modules with production
 * dependencies only, installed from the lockfile. The operator's own node_modules, with the
 * compiler and test tools, is never pruned; the package leaves them behind.
 *
 *   npm run build && npm run package     stage .deploy/ and print its size
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const STAGE = ".deploy";
/** Compiled, but not the app's: the simulator and the CLI run on the operator's machine. */
const NOT_DEPLOYED = new Set(["sim", "cli"]);

function bytes(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + bytes(join(path, name)), 0);
}

const mb = (n: number): string => `${(n / 1_000_000).toFixed(1)} MB`;

/** Imports every function entry point from the staged folder: a production dependency the app needs but the package lacks fails here, not in Azure. */
function loadsEveryFunction(out: string): void {
  const entries = readdirSync(join(out, "dist/functions")).filter((f) => f.endsWith(".js"));
  const script = entries.map((f) => `await import("./dist/functions/${f}");`).join("\n");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: out, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`The staged package does not load (${entries.join(", ")}):\n${r.stderr}`);
}

function stage(): void {
  const dist = join(ROOT, "dist");
  if (!existsSync(join(dist, "functions"))) throw new Error("dist/functions is missing: run `npm run build` first");
  const out = join(ROOT, STAGE);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const entry of readdirSync(dist)) if (!NOT_DEPLOYED.has(entry)) cpSync(join(dist, entry), join(out, "dist", entry), { recursive: true });
  for (const file of ["host.json", "package.json", "package-lock.json"]) cpSync(join(ROOT, file), join(out, file));
  // azd applies .funcignore from the folder it packages; without one it applies its own default
  // excludes, which may leave out node_modules. Everything staged here is deployed.
  writeFileSync(join(out, ".funcignore"), ".funcignore\n");
  // The production dependencies are plain JavaScript: no install script has to run, and none may.
  execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: out,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  loadsEveryFunction(out);
  const staged = `${STAGE}/ ${mb(bytes(out))} (node_modules ${mb(bytes(join(out, "node_modules")))})`;
  console.log(`package: ${staged}; the working copy's node_modules ${mb(bytes(join(ROOT, "node_modules")))}`);
}

stage();
