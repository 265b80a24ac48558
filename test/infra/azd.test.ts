/** azure.yaml and infra/main.parameters.json: azd finds the app, and fills the parameters without overriding a default with a different one. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ROOT, bicepFiles, params } from "./bicep-text.js";

const azureYaml = readFileSync(join(ROOT, "azure.yaml"), "utf8");
const parameterFile = z
  .object({ parameters: z.record(z.string(), z.object({ value: z.string() })) })
  .parse(JSON.parse(readFileSync(join(ROOT, "infra/main.parameters.json"), "utf8")));
const files = bicepFiles();
const mainParams = params(files.get("infra/main.bicep") ?? "");

describe("azure.yaml", () => {
  it("deploys the repository root as a function app from infra/main.bicep", () => {
    expect(azureYaml).toMatch(/^infra:\s*\n\s+provider: bicep\s*\n\s+path: infra\s*\n\s+module: main/m);
    expect(azureYaml).toMatch(/^services:\s*\n\s+monitor:\s*\n\s+project: \.\s*\n\s+language: ts\s*\n\s+host: function/m);
  });

  it("names the service the function app is tagged with", () => {
    expect(files.get("infra/modules/function-app.bicep")).toContain("'azd-service-name': 'monitor'");
  });
});

describe("infra/main.parameters.json", () => {
  it("names only parameters main.bicep has, and gives every required one", () => {
    for (const name of Object.keys(parameterFile.parameters)) expect(mainParams.has(name), name).toBe(true);
    const required = [...mainParams].filter(([, p]) => p.default === undefined).map(([n]) => n);
    expect(Object.keys(parameterFile.parameters)).toEqual(expect.arrayContaining(required));
  });

  it("falls back to the template's own default when an azd variable is unset", () => {
    for (const [name, { value }] of Object.entries(parameterFile.parameters)) {
      const m = /^\$\{(\w+)(?:=(.*))?\}$/.exec(value);
      expect(m, `${name}: ${value}`).not.toBeNull();
      const fallback = m?.[2];
      const declared = mainParams.get(name)?.default;
      // ${VAR} alone would pass "" over a default; a default must be repeated exactly.
      if (declared !== undefined) expect(fallback, `${name}: ${value}`).toBe(String(declared));
    }
  });

  it("takes the operator from azd's own AZURE_PRINCIPAL_ID, a user unless said otherwise", () => {
    expect(parameterFile.parameters.principalId?.value).toBe("${AZURE_PRINCIPAL_ID=}");
    expect(parameterFile.parameters.principalType?.value).toBe("${AZURE_PRINCIPAL_TYPE=User}");
    expect(parameterFile.parameters.grantDeployerDataAccess?.value).toBe("${GRANT_DEPLOYER_DATA_ACCESS=true}");
  });

  it("takes the app's client id from its own variable, not AZURE_CLIENT_ID (which Azure tools read as their own login)", () => {
    expect(parameterFile.parameters.graphAppClientId?.value).toBe("${DRIFT_MONITOR_APP_CLIENT_ID}");
  });
});
