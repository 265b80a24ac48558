/**
 * A Microsoft-managed policy as real tenants name it ("Microsoft-managed: …"), report-only, that
 * would block the connection account, created 40 days ago: `check` warns with the earliest day
 * Microsoft may enforce it (created + 45 days), and a stored run mails that early warning once.
 * Through the real CLI in-process against the Graph simulator and Azurite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { startAzurite, type RunningAzurite } from "../setup/azurite.js";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { createStore } from "../../lib/store/index.js";
import type { CheckResult, Report } from "../../lib/model/index.js";
import { cliEnv } from "./cli-helpers.js";

const DAY_MS = 86_400_000;
const MANAGED = "Microsoft-managed: Multifactor authentication for per-user multifactor authentication users";

let azurite: RunningAzurite;
let sim: RunningSimulator;
const firstUp = sampleTenant("First Up");
beforeAll(async () => {
  [azurite, sim] = await Promise.all([startAzurite(), startTestSimulator()]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), sim?.stop()]);
});

const cli = (argv: string[]): Promise<CliRun> => runCliCaptured(argv, { ...cliEnv(azurite, sim), GRAPH_ACCESS_TOKEN: sim.mintToken(firstUp.tenantId) });

async function managedCheck(): Promise<CheckResult> {
  const { out, err } = await cli(["check", "--tenant", firstUp.tenantId, "--account", firstUp.account, "--json"]);
  expect(err).toBe("");
  const found = (JSON.parse(out) as Report).checks.find((c) => c.id === "managed-policies");
  if (!found) throw new Error("no managed-policies check in the report");
  return found;
}

/** The creation time the report's evidence shows for the policy. */
function createdOf(check: CheckResult, name: string): number {
  const line = check.evidence?.find((l) => l.startsWith(`"${name}"`)) ?? "";
  return Date.parse(/created (\S+)$/.exec(line)?.[1] ?? "");
}

describe("a report-only Microsoft-managed policy that would block the account", () => {
  it("check: warns with created + 45 days, the policy created 40 days ago", async () => {
    const check = await managedCheck();
    const created = createdOf(check, MANAGED);
    // The simulator dates it 40 days before today (UTC midnight).
    expect(new Date(created).toISOString().slice(0, 10)).toBe(new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10));
    const from = new Date(created + 45 * DAY_MS).toISOString().slice(0, 10);
    expect(check.status).toBe("warn");
    expect(check.summary).toBe(`Microsoft will enforce soon: "${MANAGED}" would block the account; Microsoft may enforce it from ${from}`);
    expect(check.reason).toContain("no sooner than 45 days after creating it");
  });

  it("check: a second managed policy created later does not move the date; the earliest is named", async () => {
    const policies = sim.state.tenant(firstUp.tenantId).conditionalAccessPolicies;
    const original = policies.find((p) => p.displayName === MANAGED);
    if (!original) throw new Error("no managed policy in the sample tenant");
    const later = { ...structuredClone(original), id: "d7f32200-0000-4000-8000-0000000000f1", displayName: "Microsoft-managed: Block device code flow" };
    policies.push({ ...later, createdDaysAgo: 10 });
    try {
      const check = await managedCheck();
      const from = new Date(createdOf(check, MANAGED) + 45 * DAY_MS).toISOString().slice(0, 10);
      expect(check.summary).toBe(`Microsoft will enforce soon: "${MANAGED}" would block the account; Microsoft may enforce it from ${from} (+1 more)`);
    } finally {
      policies.pop();
    }
  });

  it("check: the same policy under a customer's name (no prefix) is not Microsoft's to enforce", async () => {
    const policy = sim.state.tenant(firstUp.tenantId).conditionalAccessPolicies.find((p) => p.displayName === MANAGED);
    if (!policy) throw new Error("no managed policy in the sample tenant");
    policy.displayName = MANAGED.replace("Microsoft-managed: ", "");
    try {
      const check = await managedCheck();
      expect(check.status).toBe("pass");
      expect(check.summary).toBe("No Microsoft-managed policy in the tenant");
    } finally {
      policy.displayName = MANAGED;
    }
  });

  it("run: the stored tenant gets the early warning once", async () => {
    const store = createStore({ kind: "connection-string", connectionString: azurite.connectionString });
    await store.tenants.put({ tenantId: firstUp.tenantId, displayName: firstUp.displayName, account: firstUp.account, profile: "strict" });
    const first = await cli(["run"]);
    expect(first.out).toMatch(/^First Up Consultants\s+compliant\s+0\s+2\s+early-warning$/m);
    const again = await cli(["run"]);
    expect(again.out).not.toContain("early-warning");
    const alerts = await cli(["alerts", "list"]);
    expect(alerts.out.match(/^First Up Consultants .* early-warning /gm)).toHaveLength(1);
    const status = await cli(["status", "--tenant", firstUp.tenantId]);
    expect(status.out).toMatch(/^managed-policies\s+warn\s+Microsoft will enforce soon: "Microsoft-managed: /m);
  });
});
