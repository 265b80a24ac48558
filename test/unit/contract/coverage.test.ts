import { describe, expect, it } from "vitest";
import { FACT_KEYS } from "../../../lib/graph/facts/index.js";
import type { Call } from "../../../scripts/contract/check.js";
import { productRequests, uncovered } from "../../../scripts/contract/coverage.js";

describe("the contract check's coverage of the product's requests", () => {
  const requests = productRequests();

  it("names every fact of lib/graph/facts and What If", () => {
    expect(new Set(requests.map((r) => r.name))).toEqual(new Set([...FACT_KEYS, "whatIf"]));
    expect(requests.find((r) => r.name === "authMethods")?.template).toBe("GET /v1.0/users/{id}/authentication/methods");
    expect(requests.find((r) => r.name === "whatIf")?.template).toBe("POST /v1.0/identity/conditionalAccess/evaluate");
  });

  const call = (method: string, version: Call["version"], url: string, status: number): Call => ({ method, version, url, status });
  const cases: Array<{ name: string; calls: Call[]; missing: string[] }> = [
    {
      name: "a fact answered only with an error is not covered",
      calls: [call("GET", "v1.0", "/users/0f0e/authentication/methods", 403)],
      missing: ["authMethods"],
    },
    {
      name: "a successful answer covers it, whatever the id",
      calls: [call("GET", "v1.0", "/users/3f6c1a2b-0000-4000-8000-00000000abcd/authentication/methods?$top=5", 200)],
      missing: [],
    },
    {
      name: "the same path on the other version does not",
      calls: [call("GET", "beta", "/users/3f6c1a2b-0000-4000-8000-00000000abcd/authentication/methods", 200)],
      missing: ["authMethods"],
    },
  ];
  it.each(cases)("$name", ({ calls, missing }) => {
    const authMethods = requests.filter((r) => r.name === "authMethods");
    expect(uncovered(authMethods, calls).map((r) => r.name)).toEqual(missing);
  });
});
