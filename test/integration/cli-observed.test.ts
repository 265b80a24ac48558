/**
 * Observed sign-in contexts and What If through `drift-monitor check` (nothing stored, so everything is read): the observed
 * sign-in contexts in the JSON and the text view, a location policy decided by them, an Azure CLI
 * sign-in as a mandatory-MFA finding, a What If disagreement, and a forbidden What If as skipped.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../cli/program.js";
import type { CliIo } from "../../cli/io.js";
import type { Report } from "../../lib/model/index.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { LOCATION_ID, azureCliSignIn, locationPolicy, officeLocation } from "./observed-helpers.js";
import { twinTenant } from "../support/twin.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());
beforeEach(() => sim.state.reset());

const t = sampleTenant("Contoso");
const data = () => sim.state.tenant(t.tenantId);

/** Checks the tenant's data as it is now, under a fresh id (test/support/twin.ts); `prepare` sees that id. */
async function check(json: boolean, prepare: (tenantId: string) => void = () => {}): Promise<{ code: number; out: string }> {
  let out = "";
  const tenantId = twinTenant(sim, t.tenantId);
  prepare(tenantId);
  const env = { GRAPH_ENDPOINT: sim.url, GRAPH_ACCESS_TOKEN: sim.mintToken(tenantId) };
  const io: CliIo = { env, stdout: (s) => (out += s), stderr: () => {}, setExitCode: () => {} };
  const code = await runCli(["check", "--tenant", tenantId, "--account", t.account, ...(json ? ["--json"] : [])], io);
  return { code, out };
}

describe("drift-monitor check with observed sign-ins", () => {
  it("shows the contexts and decides a location policy from them (JSON and text)", async () => {
    data().namedLocations = [officeLocation];
    data().conditionalAccessPolicies.push(locationPolicy("6a0c0000-0000-4000-8000-0000000000c1", { includeLocations: [LOCATION_ID], excludeLocations: [] }));
    const { code, out } = await check(true);
    expect(code).toBe(1);
    const ca = (JSON.parse(out) as Report).checks.find((c) => c.id === "conditional-access")!;
    expect(ca.findings?.find((f) => f.policyId === "6a0c0000-0000-4000-8000-0000000000c1")?.effect).toBe("blocking");
    expect(ca.evidence?.[0]).toMatch(/^signed in from 20\.61\.13\.77 \(NL\) to Microsoft Graph with Microsoft Azure PowerShell/);
    const text = await check(false);
    expect(text.out).toContain("signed in from 20.61.13.77 (NL) to Microsoft Graph");
  });

  it("an Azure CLI sign-in fails mandatory-mfa; a What If disagreement warns; a forbidden What If is skipped", async () => {
    const account = data().users.find((u) => u.userPrincipalName.toLowerCase() === t.account.toLowerCase())!;
    data().signIns.push(azureCliSignIn(account.id));
    data().whatIfDisagree = [String(data().conditionalAccessPolicies[0]?.id ?? "")];
    const report = JSON.parse((await check(true)).out) as Report;
    expect(report.checks.find((c) => c.id === "mandatory-mfa")?.status).toBe("fail");
    expect(report.checks.find((c) => c.id === "what-if")?.status).toBe("warn");

    const again = JSON.parse((await check(true, (tenantId) => sim.state.addFault({ tenantId, endpoint: "whatIf", kind: "403" }))).out) as Report;
    const w = again.checks.find((c) => c.id === "what-if")!;
    expect(w.status).toBe("skipped");
    expect(w.summary).toContain("Policy.Read.ConditionalAccess");
    expect(again.status).toBe("drifted");
  });
});
