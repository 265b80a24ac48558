/**
 * What the compiler cannot check in the deployment: the region list, the operator's data roles, the email
 * data location, least privilege for sending mail, the optional network rules, and the package azd
 * deploys (.funcignore, azure.yaml, package.json scripts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ROOT, allowedValues, bicepFiles, decoratorsOf, params, stripComments } from "./bicep-text.js";

const files = bicepFiles();
const main = files.get("infra/main.bicep") ?? "";
const mainParams = params(main);
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");
const parameterFile = z.object({ parameters: z.record(z.string(), z.object({ value: z.string() })) }).parse(JSON.parse(read("infra/main.parameters.json")));

describe("region", () => {
  const regions = allowedValues(main, "location") ?? [];

  it("is one of the regions that offer Flex Consumption, and azd prompts with them", () => {
    expect(regions.length).toBeGreaterThanOrEqual(20);
    expect(regions).toEqual(
      expect.arrayContaining(["eastus", "eastus2", "westeurope", "northeurope", "uksouth", "australiaeast", "southeastasia", "swedencentral"]),
    );
    for (const r of regions) expect(r, "an ARM region name").toMatch(/^[a-z]+[0-9]?$/);
    expect(new Set(regions).size).toBe(regions.length);
    // Canary and stage regions take no customer deployments.
    expect(regions.filter((r) => /euap|stage/.test(String(r)))).toEqual([]);
    expect(decoratorsOf(main, "location")).toMatch(/@metadata\(\{\s*azd: \{\s*type: 'location'\s*\}\s*\}\)/);
    expect(mainParams.get("location")?.default).toBeUndefined();
  });
});

describe("email data location", () => {
  it("is an azd parameter (EMAIL_DATA_LOCATION), 'United States' by default, one of Communication Services' data locations", () => {
    expect(mainParams.get("emailDataLocation")?.default).toBe("United States");
    const allowed = allowedValues(main, "emailDataLocation") ?? [];
    expect(allowed).toEqual(expect.arrayContaining(["United States", "Europe", "UK", "Australia", "Asia Pacific", "Germany", "France", "Switzerland"]));
    expect(parameterFile.parameters.emailDataLocation?.value).toBe("${EMAIL_DATA_LOCATION=United States}");
    // Both resources take the same location: a domain links only to a resource of its own geography.
    const acs = files.get("infra/modules/communication.bicep") ?? "";
    expect(acs.match(/dataLocation: dataLocation/g)?.length).toBe(2);
    expect(main).toMatch(/dataLocation: emailDataLocation/);
  });
});

describe("network restriction (optional)", () => {
  const storage = stripComments(files.get("infra/modules/storage.bicep") ?? "");
  const kv = stripComments(files.get("infra/modules/keyvault.bicep") ?? "");
  const network = stripComments(files.get("infra/modules/network.bicep") ?? "");
  const app = stripComments(files.get("infra/modules/function-app.bicep") ?? "");

  it("is a parameter, off by default, with the operator's addresses as a comma-separated azd variable", () => {
    expect(mainParams.get("restrictNetworkAccess")).toMatchObject({ type: "bool", default: "false" });
    expect(mainParams.get("allowedIpAddresses")).toMatchObject({ type: "string", default: "" });
    expect(parameterFile.parameters.restrictNetworkAccess?.value).toBe("${RESTRICT_NETWORK_ACCESS=false}");
    expect(parameterFile.parameters.allowedIpAddresses?.value).toBe("${ALLOWED_IP_ADDRESSES=}");
  });

  it.each([
    ["storage", storage],
    ["Key Vault", kv],
  ])("%s: firewall Deny only when on, trusted Azure services bypass, the app's subnet and the allowed addresses admitted", (_name, text) => {
    expect(text).toMatch(/defaultAction: restrictNetworkAccess \? 'Deny' : 'Allow'/);
    expect(text).toMatch(/bypass: 'AzureServices'/);
    expect(text).toMatch(/ipRules: \[for ip in allowedIpAddresses:/);
    expect(text).toMatch(/virtualNetworkRules: restrictNetworkAccess \? \[\s*\{\s*id: appSubnetId/);
    expect(text).not.toMatch(/defaultAction: 'Deny'/);
  });

  it("integrates the app with a subnet delegated to Microsoft.App/environments, with Storage and Key Vault service endpoints, only when on", () => {
    expect(stripComments(main)).toMatch(/module network 'modules\/network\.bicep' = if \(restrictNetworkAccess\)/);
    expect(network).toMatch(/serviceName: 'Microsoft\.App\/environments'/);
    expect(network).toMatch(/service: 'Microsoft\.Storage'/);
    expect(network).toMatch(/service: 'Microsoft\.KeyVault'/);
    expect(app).toMatch(/virtualNetworkSubnetId: empty\(appSubnetId\) \? null : appSubnetId/);
    expect(stripComments(main)).toMatch(/var appSubnetId = restrictNetworkAccess \? network!\.outputs\.appSubnetId : ''/);
  });
});

describe("the package azd deploys", () => {
  const funcignore = read(".funcignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const azureYaml = read("azure.yaml");
  const scripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(read("package.json"))).scripts;

  it(".funcignore leaves out what the app never reads: tests, bench, the simulator, docs, infra, tools, local settings", () => {
    for (const entry of [
      "test/",
      "bench/",
      "sim/",
      "docs/",
      ".outbox/",
      "infra/",
      "tools/",
      "scripts/",
      "coverage/",
      "/*.md",
      "local.settings.json",
      ".azure/",
      ".git/",
    ]) {
      expect(funcignore, entry).toContain(entry);
    }
  });

  it(".funcignore keeps what the app runs: dist/functions and dist/lib, host.json, package.json, node_modules", () => {
    for (const entry of funcignore) {
      expect(entry, "would drop the compiled app").not.toMatch(/^\/?dist\/?$|^\/?dist\/(functions|lib)|^\*\.js$|^\*\*\/\*\.js$/);
      expect(entry).not.toMatch(/^\/?(node_modules|host\.json|package\.json)\/?$/);
    }
    // A bare *.md would reach into node_modules; only the repository's own are left out.
    expect(funcignore).not.toContain("*.md");
  });

  it("azure.yaml decides the build explicitly: local (remoteBuild: false), with the reason beside it", () => {
    expect(azureYaml).toMatch(/^\s+host: function\n(?:\s+#.*\n)+\s+remoteBuild: false$/m);
  });

  it("azd zips the staged .deploy/ that `npm run package` fills with production dependencies only", () => {
    expect(azureYaml).toMatch(/^\s+remoteBuild: false\n(?:\s+#.*\n)+\s+dist: \.deploy$/m);
    expect(scripts.package).toBe("tsx scripts/package.ts");
    const stage = read("scripts/package.ts");
    expect(stage).toContain('const STAGE = ".deploy"');
    expect(stage).toMatch(/"ci", "--omit=dev", "--ignore-scripts"/);
    // Staged, never committed, never deployed twice from the project folder.
    expect(read(".gitignore")).toMatch(/^\.deploy\/$/m);
    expect(funcignore).toContain(".deploy/");
  });

  it("types Node.js 22, the runtime Azure runs, and keeps Node.js 20 working (engines)", () => {
    const pkg = z
      .object({ engines: z.object({ node: z.string() }), devDependencies: z.record(z.string(), z.string()) })
      .parse(JSON.parse(read("package.json")));
    expect(pkg.devDependencies["@types/node"]).toMatch(/^\^22\./);
    // 20.3: AbortSignal.any, which bounds a ticket create (lib/tickets/psa/transport.ts).
    expect(pkg.engines.node).toBe(">=20.3");
    expect(stripComments(files.get("infra/modules/function-app.bicep") ?? "")).toMatch(/name: 'node'\s*\n\s*version: '22'/);
    // Core Tools downloads its binary in a postinstall script: not a dependency (docs/deploy.md says why).
    expect(Object.keys(pkg.devDependencies)).not.toContain("azure-functions-core-tools");
    expect(read("docs/deploy.md")).toContain("cdn.functions.azure.com");
  });

  it("package.json: `npm start` builds, then runs the Functions host (Core Tools)", () => {
    expect(scripts.prestart).toBe("npm run build");
    expect(scripts.start).toBe("func start");
    expect(scripts.build).toBe("tsc -p tsconfig.build.json");
  });
});

describe("docs/deploy.md", () => {
  const doc = read("docs/deploy.md");

  it("names every azd variable infra/main.parameters.json reads", () => {
    for (const { value } of Object.values(parameterFile.parameters)) {
      const variable = /^\$\{(\w+)/.exec(value)?.[1];
      if (variable && variable !== "AZURE_ENV_NAME") expect(doc, variable).toContain(`\`${variable}\``);
    }
  });

  it("walks a first deployment, onboarding the first tenant end to end, and a redeploy after azd down --purge", () => {
    for (const command of [
      "azd env new",
      "azd up",
      "az ad app federated-credential create",
      "drift-monitor consent-url",
      "drift-monitor doctor",
      "drift-monitor tenants add",
      "drift-monitor run",
      "drift-monitor status",
      "AzureWebJobsStorage__accountName",
      "az functionapp function keys list",
      "azd down --purge",
      "az ad app federated-credential update",
      "drift-monitor tenants import",
      "scripts/bicep.sh",
    ]) {
      expect(doc, command).toContain(command);
    }
  });
});
