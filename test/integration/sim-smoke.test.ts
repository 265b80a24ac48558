import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";

describe("simulator over HTTPS", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  it("is trusted through NODE_EXTRA_CA_CERTS and serves a user", async () => {
    const t = sampleTenant("Woodgrove");
    const res = await getJson(sim, t.tenantId, `/v1.0/users/${encodeURIComponent(t.account)}?$select=id,accountEnabled`);
    expect(res.status).toBe(200);
    expect(res.body.accountEnabled).toBe(true);
  });

  it("is trusted on localhost too", async () => {
    const t = sampleTenant("Woodgrove");
    const res = await fetch(`${sim.url.replace("127.0.0.1", "localhost")}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`, {
      headers: { Authorization: `Bearer ${sim.mintToken(t.tenantId)}` },
    });
    expect(res.status).toBe(200);
  });
});
