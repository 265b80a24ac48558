/**
 * `drift-monitor fix` through the real CLI in-process, on its own Azurite and the simulator: the
 * preview prints the exact change, a request waits for a second person, the requester cannot
 * approve it, another person approves and applies it (the tenant re-checked compliant), a policy
 * edited before an apply is not overwritten (exit 1, preview again), and remediation not configured
 * is a usage error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { createApp } from "../../functions/app/index.js";
import { processCheckMessage } from "../../functions/app/check.js";
import { cliEnv } from "./cli-helpers.js";
import { REMEDIATION_APP, WRITER } from "./remediation-helpers.js";

const fabrikam = sampleTenant("Fabrikam");
const CA10 = "d7f30200-0000-4000-8000-000000000010";
const FINDING = `conditional-access|${CA10}`;
const ACCOUNT = "d7f10200-0000-4000-8000-000000000001";

let azurite: RunningAzurite;
let sim: RunningSimulator;

const env = (): Record<string, string> => ({
  ...cliEnv(azurite, sim),
  REMEDIATION_CLIENT_ID: REMEDIATION_APP,
  REMEDIATION_CLIENT_SECRET: "remediation-secret-value",
  REMEDIATION_VERIFY_SECONDS: "0",
});
const cli = (argv: string[], extra: Record<string, string> = {}): Promise<CliRun> => runCliCaptured(argv, { ...env(), ...extra });
const fix = (...args: string[]): Promise<CliRun> => cli(["fix", "--tenant", fabrikam.tenantId, ...args]);

function excludeUsers(): unknown {
  const policy = sim.state.tenant(fabrikam.tenantId).conditionalAccessPolicies.find((p) => p.id === CA10)!;
  return (policy.conditions as { users: { excludeUsers: unknown } }).users.excludeUsers;
}

async function requestedId(by: string): Promise<string> {
  const r = await fix("--finding", FINDING, "--request", "--by", by, "--json");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { id: string }).id;
}

beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
  sim.state.tenant(fabrikam.tenantId).appGrants = { [REMEDIATION_APP]: WRITER };
  const app = createApp({ env: env() });
  await app.store.tenants.put({ tenantId: fabrikam.tenantId, displayName: fabrikam.displayName, account: fabrikam.account, recipients: ["ops@example.com"] });
  const r = await processCheckMessage(
    app,
    { tenantId: fabrikam.tenantId, enqueuedAt: new Date().toISOString(), reason: "manual" },
    { dequeueCount: 1, maxDequeueCount: 1 },
  );
  expect(r).toMatchObject({ kind: "checked", status: "drifted" });
}, 60_000);
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

describe("drift-monitor fix", () => {
  it("previews the exact change: the request, excludeUsers before and after", async () => {
    const r = await fix("--finding", FINDING);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`request:     PATCH /v1.0/identity/conditionalAccess/policies/${CA10}`);
    expect(r.out).toContain(`before:      {"conditions":{"users":{"excludeUsers":[]}}}`);
    expect(r.out).toContain(`after:       {"conditions":{"users":{"excludeUsers":["${ACCOUNT}"]}}}`);
  });

  it("a request waits for a second person; the requester cannot approve it; another approves and applies it; the tenant is compliant", async () => {
    const id = await requestedId("ada@msp.example");
    const own = await fix("--approve", id, "--by", "ada@msp.example");
    expect(own.code).toBe(1);
    expect(own.err).toMatch(/cannot approve it/);
    expect((await fix("--approve", id, "--by", "bob@msp.example")).code).toBe(0);
    const applied = await fix("--apply", id, "--by", "bob@msp.example");
    expect(applied.err).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.out).toContain(`fix ${id}: applied`);
    expect(applied.out).toContain(`after:  {"conditions":{"users":{"excludeUsers":["${ACCOUNT}"]}}}`);
    expect(applied.out).toMatch(/The tenant is compliant/);
    expect(excludeUsers()).toEqual([ACCOUNT]);

    const reverted = await fix("--revert", id, "--by", "bob@msp.example");
    expect(reverted.code).toBe(0);
    expect(reverted.out).toContain(`fix ${id}: reverted`);
    expect(excludeUsers()).toEqual([]);
  });

  it("a policy edited between approval and apply: nothing overwritten, exit 1, preview again", async () => {
    const id = await requestedId("ada@msp.example");
    expect((await fix("--approve", id, "--by", "bob@msp.example")).code).toBe(0);
    const policy = sim.state.tenant(fabrikam.tenantId).conditionalAccessPolicies.find((p) => p.id === CA10)!;
    (policy.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers = ["d7f10200-0000-4000-8000-000000000002"];
    const r = await fix("--apply", id, "--by", "bob@msp.example");
    expect(r.code).toBe(1);
    expect(r.out).toContain(`fix ${id}: stale`);
    expect(r.out).toMatch(/preview again/);
    expect(excludeUsers()).toEqual(["d7f10200-0000-4000-8000-000000000002"]);

    const listed = await fix("--list");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`fix ${id}: stale`);
    expect(listed.out).toMatch(/: reverted/);
  });

  it("without the remediation app configured: a usage error, nothing read", async () => {
    const r = await runCliCaptured(["fix", "--tenant", fabrikam.tenantId, "--finding", FINDING], cliEnv(azurite, sim));
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/REMEDIATION_CLIENT_ID/);
  });
});
