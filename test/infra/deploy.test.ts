/**
 * Issue 13, what the compiler cannot check: the region list, the operator's data roles, the email
 * data location, least privilege for sending mail, the optional network rules, and the package azd
 * deploys (.funcignore, azure.yaml, package.json scripts).
 */
import { describe, expect, it } from "vitest";
import { allowedValues, bicepFiles, decoratorsOf, params } from "./bicep-text.js";

const files = bicepFiles();
const main = files.get("infra/main.bicep") ?? "";
const mainParams = params(main);

describe("region", () => {
  const regions = allowedValues(main, "location") ?? [];

  it("is one of the regions that offer Flex Consumption, and azd prompts with them", () => {
    expect(regions.length).toBeGreaterThanOrEqual(20);
    expect(regions).toEqual(expect.arrayContaining(["eastus", "eastus2", "westeurope", "northeurope", "uksouth", "australiaeast", "southeastasia", "swedencentral"]));
    for (const r of regions) expect(r, "an ARM region name").toMatch(/^[a-z]+[0-9]?$/);
    expect(new Set(regions).size).toBe(regions.length);
    // Canary and stage regions take no customer deployments.
    expect(regions.filter((r) => /euap|stage/.test(String(r)))).toEqual([]);
    expect(decoratorsOf(main, "location")).toMatch(/@metadata\(\{\s*azd: \{\s*type: 'location'\s*\}\s*\}\)/);
    expect(mainParams.get("location")?.default).toBeUndefined();
  });
});
