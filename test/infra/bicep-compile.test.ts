/**
 * infra/ compiled and linted by the real Bicep CLI (scripts/bicep.sh restores it from NuGet through
 * tools/bicep/bicep.csproj): no error, and no warning that was not reviewed (each is fixed, or
 * suppressed with its reason in infra/bicepconfig.json or a `#disable-next-line`). The text checks
 * beside this file hold the template to the code; this one proves it is a template at all.
 *
 * Without dotnet (or off Linux x64) it is skipped, saying why, on a developer's machine; with
 * CI=true it fails instead.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./bicep-text.js";

const SCRIPT = join(ROOT, "scripts/bicep.sh");
const inCI = process.env.CI === "true";
const hasDotnet = spawnSync("dotnet", ["--version"], { stdio: "ignore" }).status === 0;
const version = /Include="Azure\.Bicep\.CommandLine\.linux-x64" Version="\[([^\]]+)\]"/.exec(readFileSync(join(ROOT, "tools/bicep/bicep.csproj"), "utf8"))?.[1];
const restored = version !== undefined && existsSync(join(ROOT, "tools/bicep/.packages/azure.bicep.commandline.linux-x64", version, "tools/bicep"));
const SKIP =
  "SKIPPED: dotnet is not installed, so the Bicep CLI cannot be restored from NuGet; install the .NET SDK to compile infra/ (CI=true fails " +
  "instead of skipping)";

const outdir = mkdtempSync(join(tmpdir(), "bicep-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
  metadata?: { azd?: { type?: string } };
}
interface ArmTemplate {
  parameters: Record<string, ArmParameter>;
}
interface ArmResource {
  type: string;
  name?: string;
  apiVersion?: string;
  kind?: string;
  location?: string;
  condition?: string;
  copy?: unknown;
  properties?: {
    parameters?: Record<string, { value?: unknown }>;
    template?: { variables: Record<string, unknown>; resources: Record<string, unknown> | unknown[] };
    [key: string]: unknown;
  };
}

let compiled: { status: number | null; output: string } | undefined;
function compile(): { status: number | null; output: string } {
  compiled ??= (() => {
    const r = spawnSync("bash", [SCRIPT], { cwd: ROOT, encoding: "utf8", env: { ...process.env, BICEP_OUTDIR: outdir }, timeout: 300_000 });
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
  })();
  return compiled;
}

describe("the Bicep CLI", () => {
  it("pins one Azure.Bicep.CommandLine.linux-x64 version in tools/bicep/bicep.csproj", () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("builds and lints every template in infra/ with no error and no unreviewed warning", (ctx) => {
    if (!hasDotnet && !restored && !inCI) {
      console.warn(`bicep-compile: ${SKIP}`);
      ctx.skip(SKIP);
    }
    const { status, output } = compile();
    // 3: the script skipped (not Linux x64, say), saying why; never with CI=true.
    if (status === 3 && !inCI) ctx.skip(output.trim());
    expect(output, "scripts/bicep.sh output").toMatch(/bicep: \d+ templates, 0 errors, 0 warnings/);
    expect(status, output).toBe(0);
  }, 320_000);

  it("compiles main.bicep to a template whose parameters azd can prompt for", (ctx) => {
    if (!hasDotnet && !restored && !inCI) ctx.skip(SKIP);
    if (compile().status === 3 && !inCI) ctx.skip(compile().output.trim());
    expect(compile().status).toBe(0);
    const main = JSON.parse(readFileSync(join(outdir, "main.json"), "utf8")) as ArmTemplate;
    expect(Object.keys(main.parameters)).toEqual(expect.arrayContaining(["environmentName", "location", "graphAppClientId"]));
    expect(main.parameters.location?.metadata?.azd?.type).toBe("location");
    expect(main.parameters.location?.allowedValues).toEqual(expect.arrayContaining(["eastus", "westeurope"]));
    expect(main.parameters.emailDataLocation).toMatchObject({ defaultValue: "United States" });
    expect(main.parameters.emailDataLocation?.allowedValues).toContain("Europe");
    expect(main.parameters.grantDeployerDataAccess).toMatchObject({ type: "bool", defaultValue: true });
    expect(main.parameters.keyVaultEnablePurgeProtection).toMatchObject({ type: "bool", defaultValue: false });
  }, 320_000);

  it("compiles the monitoring alerts: log search alert rules on Application Insights, to an action group only with a contact", (ctx) => {
    if (!hasDotnet && !restored && !inCI) ctx.skip(SKIP);
    if (compile().status === 3 && !inCI) ctx.skip(compile().output.trim());
    expect(compile().status).toBe(0);
    const main = JSON.parse(readFileSync(join(outdir, "main.json"), "utf8")) as { resources: Record<string, unknown> | unknown[] };
    const resources = (Array.isArray(main.resources) ? main.resources : Object.values(main.resources)) as ArmResource[];
    const alerts = resources.find((r) => r.type === "Microsoft.Resources/deployments" && r.name === "monitoring-alerts");
    expect(alerts, "the monitoring-alerts module in main.json").toBeDefined();
    expect(alerts?.properties?.parameters?.applicationInsightsId?.value).toMatch(/applicationInsightsId/);
    const template = alerts!.properties!.template!;
    const inner = (Array.isArray(template.resources) ? template.resources : Object.values(template.resources)) as ArmResource[];
    const group = inner.find((r) => r.type === "Microsoft.Insights/actionGroups");
    expect(group).toMatchObject({ condition: "[variables('hasReceivers')]", location: "global" });
    const rules = inner.find((r) => r.type === "Microsoft.Insights/scheduledQueryRules");
    expect(rules).toMatchObject({ apiVersion: "2023-12-01", kind: "LogAlert", copy: { count: "[length(variables('rules'))]" } });
    expect(rules?.properties).toMatchObject({ scopes: ["[parameters('applicationInsightsId')]"], evaluationFrequency: "PT15M", autoMitigate: true });
    const defs = template.variables.rules as { name: string; query: string; operator: string; threshold: number }[];
    const query = (name: string): string => defs.find((d) => d.name === name)?.query ?? "";
    const names = ["alert-dead-lettered", "function-failures", "schedule-missed", "tenant-check-poisoned", "tenant-not-checked"];
    expect(defs.map((d) => d.name).sort()).toEqual(names);
    expect(query("function-failures")).toContain("requests\n| where success == false");
    expect(query("tenant-check-poisoned")).toContain('| where name == "checkTenantPoison"');
    expect(query("alert-dead-lettered")).toContain('traces\n| where message contains " dead-lettered: "');
    expect(query("schedule-missed")).toContain('| where name == "scheduleChecks" and success == true');
    expect(defs.find((d) => d.name === "schedule-missed")).toMatchObject({ operator: "LessThan", threshold: 1 });
    expect(query("tenant-not-checked")).toContain('"is late (carried to the next run"');
  }, 320_000);
});
