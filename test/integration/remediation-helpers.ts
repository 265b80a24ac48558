/** Set-up shared by the remediation-*.test.ts files: a simulator, the remediation app's grants in it, and its settings. */
import { afterAll, afterEach, beforeAll } from "vitest";
import { startTestSimulator } from "../../sim/testing.js";
import type { RunningSimulator } from "../../sim/server.js";
import { sampleTenant } from "../../sim/estate/index.js";
import { loadRemediationSettings, type RemediationSettings } from "../../lib/config/remediation.js";
import { remediationExecutor } from "../../lib/remediation/client.js";
import type { ExecutorDeps } from "../../lib/remediation/executor.js";
import { clearCredentialCache } from "../../lib/graph/credentials.js";

export const REMEDIATION_APP = "0c0ffee0-0000-4000-8000-00000000f1a1";
/** The write permissions the remediation app is consented to, as docs/remediation.md lists them. */
export const WRITER = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "Policy.ReadWrite.AuthenticationMethod", "User.ReadWrite.All"];

export const FABRIKAM = sampleTenant("Fabrikam").tenantId;
export const FABRIKAM_ACCOUNT = "d7f10200-0000-4000-8000-000000000001";
export const CA02 = "d7f30200-0000-4000-8000-000000000002";
export const PROSEWARE = sampleTenant("Proseware").tenantId;
export const PROSEWARE_ACCOUNT = "d7f10700-0000-4000-8000-000000000001";

export let sim: RunningSimulator;

/** One simulator for the file; every tenant consents the remediation app with WRITER; state reset after each test. */
export function useRemediationSimulator(): void {
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterEach(() => {
    sim.state.reset();
    sim.state.writeVisibilityMs = 0;
    clearCredentialCache();
  });
  afterAll(() => sim.stop());
}

export function grantWriter(): void {
  for (const t of sim.state.tenants()) t.appGrants = { [REMEDIATION_APP.toLowerCase()]: WRITER };
}

export function settings(env: Record<string, string> = {}): RemediationSettings {
  const s = loadRemediationSettings({
    GRAPH_ENDPOINT: sim.url,
    AZURE_AUTHORITY_HOST: sim.url,
    REMEDIATION_CLIENT_ID: REMEDIATION_APP,
    REMEDIATION_CLIENT_SECRET: "remediation-secret-value",
    ...env,
  });
  if (!s) throw new Error("remediation settings expected");
  return s;
}

/** An executor on the remediation app's real credential and transport, with real timers. */
export function executor(tenantId: string, options: { verifyMs?: number; settings?: RemediationSettings } = {}): ExecutorDeps {
  return { ...remediationExecutor(tenantId, options.settings ?? settings()), verifyMs: options.verifyMs ?? 0, firstPauseMs: 100 };
}

export function excludeUsersOf(tenantId: string, policyId: string): unknown {
  const policy = sim.state.tenant(tenantId).conditionalAccessPolicies.find((p) => p.id === policyId)!;
  return (policy.conditions as { users: { excludeUsers: unknown } }).users.excludeUsers;
}
