/**
 * infra/main.bicep compiled by the real Bicep CLI (scripts/bicep.sh restores it from NuGet), for
 * tests that render what Azure would get. Where the CLI cannot be restored (no dotnet, not Linux
 * x64) BICEP_SKIP says why and the tests skip; with CI=true they fail instead.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./bicep-text.js";

interface ArmResource {
  readonly type: string;
  readonly name?: string;
  readonly condition?: unknown;
  readonly properties?: {
    readonly parameters?: Record<string, { value?: unknown }>;
    readonly template?: ArmTemplate;
    readonly [key: string]: unknown;
  };
}
interface ArmTemplate {
  readonly parameters: Record<string, { defaultValue?: unknown }>;
  readonly variables: Record<string, unknown>;
  readonly resources: Record<string, ArmResource> | ArmResource[];
  readonly outputs: Record<string, { value: unknown }>;
}

export const resourcesOf = (t: ArmTemplate): ArmResource[] => (Array.isArray(t.resources) ? t.resources : Object.values(t.resources));

const inCI = process.env.CI === "true";
const bin = spawnSync("bash", [join(ROOT, "scripts/bicep.sh"), "--path"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
/** Why the compiled-template tests skip here; undefined when the CLI is at hand (or under CI, which must have it). */
export const BICEP_SKIP = bin.status !== 0 && !inCI ? `the Bicep CLI could not be restored (${bin.stderr.trim()})` : undefined;
if (BICEP_SKIP) console.warn(`SKIPPED: ${BICEP_SKIP}`);

let main: ArmTemplate | undefined;
/** main.json, built once per test file. */
export function compiledMain(): ArmTemplate {
  if (main) return main;
  if (bin.status !== 0) throw new Error(`scripts/bicep.sh --path failed: ${bin.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), "bicep-main-"));
  try {
    const out = join(dir, "main.json");
    const build = spawnSync(join(ROOT, bin.stdout.trim()), ["build", "infra/main.bicep", "--outfile", out], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    if (build.status !== 0) throw new Error(`bicep build infra/main.bicep failed:\n${build.stdout}\n${build.stderr}`);
    main = JSON.parse(readFileSync(out, "utf8")) as ArmTemplate;
    return main;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A module of main.bicep, by its deployment name. */
export function moduleOf(name: string): ArmResource {
  const m = resourcesOf(compiledMain()).find((r) => r.type === "Microsoft.Resources/deployments" && r.name === name);
  if (!m?.properties?.template) throw new Error(`no module deployment ${name} in main.json`);
  return m;
}
