/**
 * The simulator serves each version's shape (sim/handlers/versions.ts): v1.0 answers leave out the
 * properties only Graph beta defines; beta keeps them. And its recording hook (sim/record.ts) writes
 * every Graph request with its answer, `$batch` as sent, token requests left out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestSimulator, sampleTenant, type RunningSimulator } from "../../sim/testing.js";
import { fileRecorder, type RecordedExchange } from "../../sim/record.js";
import { batch, getJson, postJson } from "./sim-helpers.js";

let sim: RunningSimulator;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sim-versions-"));
  file = join(dir, "graph.jsonl");
  sim = await startTestSimulator({ record: fileRecorder(file) });
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

const recorded = (): RecordedExchange[] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as RecordedExchange);

type Obj = Record<string, unknown>;

describe("each version's shape", () => {
  const cases: Array<{ name: string; tenant: string; path: string; pick: (body: Obj) => Obj; betaOnly: string[] }> = [
    {
      name: "the agent-identity condition of a baseline policy",
      tenant: "Woodgrove",
      path: "identity/conditionalAccess/policies/b1a5e11e-0001-4000-8000-000000000050",
      pick: (b) => b.conditions as Obj,
      betaOnly: ["agentIdRiskLevels", "times", "deviceStates"],
    },
    {
      name: "a policy's own beta-only property",
      tenant: "Woodgrove",
      path: "identity/conditionalAccess/policies/b1a5e11e-0001-4000-8000-000000000050",
      pick: (b) => b,
      betaOnly: ["partialEnablementStrategy"],
    },
    {
      name: "continuous access evaluation",
      tenant: "Woodgrove",
      path: "identity/conditionalAccess/policies/b1a5e11e-0001-4000-8000-000000000027",
      pick: (b) => b.sessionControls as Obj,
      betaOnly: ["continuousAccessEvaluation"],
    },
    {
      name: "the registration campaign",
      tenant: "Graphic Design",
      path: "policies/authenticationMethodsPolicy",
      pick: (b) => (b.registrationEnforcement as Obj).authenticationMethodsRegistrationCampaign as Obj,
      betaOnly: ["enforceRegistrationAfterAllowedSnoozes"],
    },
  ];
  it.each(cases)("$name: on beta, not on v1.0", async ({ tenant, path, pick, betaOnly }) => {
    const t = sampleTenant(tenant).tenantId;
    const v1 = await getJson(sim, t, `/v1.0/${path}`);
    const beta = await getJson(sim, t, `/beta/${path}`);
    expect([v1.status, beta.status]).toEqual([200, 200]);
    for (const name of betaOnly) {
      expect(pick(beta.body)).toHaveProperty(name);
      expect(pick(v1.body)).not.toHaveProperty(name);
      expect(pick(v1.body)).not.toHaveProperty(`${name}@odata.type`);
    }
  });

  it("What If answers whatIfAnalysisResult items with absolute dates", async () => {
    const t = sampleTenant("Woodgrove");
    const res = await postJson(sim, t.tenantId, "/v1.0/identity/conditionalAccess/evaluate", {
      signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId: "00000000-0000-4000-8000-000000000001" },
      signInContext: { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: ["All"] },
      signInConditions: { clientAppType: "all" },
      appliedPoliciesOnly: false,
    });
    expect(res.status).toBe(200);
    const value = res.body.value as Obj[];
    expect(value.length).toBeGreaterThan(0);
    for (const item of value) {
      expect(item["@odata.type"]).toBe("#microsoft.graph.whatIfAnalysisResult");
      expect(item).not.toHaveProperty("createdDaysAgo");
      expect(item.conditions).not.toHaveProperty("agentIdRiskLevels");
    }
  });
});

describe("the recording hook", () => {
  it("writes each Graph request with its answer, a $batch as sent", async () => {
    const t = sampleTenant("Contoso").tenantId;
    await batch(sim, t, "v1.0", ["/policies/identitySecurityDefaultsEnforcementPolicy", "/nowhere"]);
    const res = await fetch(`${sim.url}/${t}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=x&client_secret=y&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
    });
    expect(res.status).toBe(200);
    const last = recorded().at(-1)!;
    expect(last).toMatchObject({ method: "POST", url: "/v1.0/$batch", status: 200 });
    expect(last.body).toMatchObject({
      requests: [
        { id: "1", url: "/policies/identitySecurityDefaultsEnforcementPolicy" },
        { id: "2", url: "/nowhere" },
      ],
    });
    expect(last.response).toMatchObject({
      responses: [
        { id: "1", status: 200 },
        { id: "2", status: 400 },
      ],
    });
    expect(recorded().some((e) => e.url.includes("oauth2"))).toBe(false);
  });
});
