/**
 * Every fixable finding end to end against the simulator (preview, apply, the change read back),
 * and eventual consistency: the executor claims success only from a read that shows the change.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { previewFix, type FixTarget } from "../../lib/remediation/preview.js";
import { applyPlan } from "../../lib/remediation/executor.js";
import { isManual, type RemediationPlan } from "../../lib/remediation/plan.js";
import {
  CA02,
  executor,
  excludeUsersOf,
  FABRIKAM,
  FABRIKAM_ACCOUNT,
  grantWriter,
  PROSEWARE,
  PROSEWARE_ACCOUNT,
  sim,
  useRemediationSimulator,
} from "./remediation-helpers.js";

useRemediationSimulator();
beforeEach(() => grantWriter());

async function preview(tenantId: string, target: FixTarget): Promise<RemediationPlan> {
  const r = await previewFix(executor(tenantId).transport, target);
  if (isManual(r)) throw new Error(r.manual);
  return r;
}

const campaignOf = (tenantId: string) =>
  (sim.state.tenant(tenantId).authenticationMethodsPolicy.registrationEnforcement as { authenticationMethodsRegistrationCampaign: Record<string, unknown> })
    .authenticationMethodsRegistrationCampaign;

describe("remediation: each fix against the simulator", () => {
  it.each([
    [
      "per-user MFA enforced → disabled",
      { kind: "per-user-mfa-disable", accountId: PROSEWARE_ACCOUNT } as const,
      { perUserMfaState: "enforced" },
      () => sim.state.tenant(PROSEWARE).perUserMfa[PROSEWARE_ACCOUNT],
      "disabled",
    ],
    [
      "registration campaign: the account excluded",
      { kind: "campaign-exclude-account", accountId: PROSEWARE_ACCOUNT } as const,
      { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { excludeTargets: [] } } },
      () => campaignOf(PROSEWARE).excludeTargets,
      [{ id: PROSEWARE_ACCOUNT, targetType: "user" }],
    ],
    [
      "password never expires",
      { kind: "password-never-expires", accountId: PROSEWARE_ACCOUNT } as const,
      { passwordPolicies: null },
      () => sim.state.tenant(PROSEWARE).users.find((u) => u.id === PROSEWARE_ACCOUNT)!.passwordPolicies,
      "DisablePasswordExpiration",
    ],
  ])("%s", async (_name, target, before, read, fixed) => {
    const p = await preview(PROSEWARE, target);
    expect(p.before).toEqual(before);
    const result = await applyPlan(executor(PROSEWARE), p);
    expect(result.outcome).toBe("applied");
    expect(read()).toEqual(fixed);
    expect((await applyPlan(executor(PROSEWARE), p)).outcome).toBe("already-done");
  });

  it("the campaign fix leaves the campaign's state and include targets as they were", async () => {
    await applyPlan(executor(PROSEWARE), await preview(PROSEWARE, { kind: "campaign-exclude-account", accountId: PROSEWARE_ACCOUNT }));
    expect(campaignOf(PROSEWARE)).toMatchObject({ state: "default", includeTargets: [{ id: "all_users", targetedAuthenticationMethod: "fido2" }] });
  });

  it("a Microsoft-managed policy takes the exclusion", async () => {
    const tenant = "d7f00000-0000-4000-8000-000000000022";
    const account = "d7f12200-0000-4000-8000-000000000001";
    const managed = "d7f32200-0000-4000-8000-000000000008";
    const p = await preview(tenant, { kind: "ca-exclude-account", policyId: managed, accountId: account });
    expect(p.description).toContain("Microsoft-managed");
    expect((await applyPlan(executor(tenant), p)).outcome).toBe("applied");
    expect(excludeUsersOf(tenant, managed)).toEqual([account]);
  });
});

describe("remediation: eventual consistency", () => {
  it("a write reads do not show yet is 'accepted-not-visible', never 'applied'; once visible, a re-apply is 'already done'", async () => {
    sim.state.writeVisibilityMs = 1500;
    const p = await preview(FABRIKAM, { kind: "ca-exclude-account", policyId: CA02, accountId: FABRIKAM_ACCOUNT });
    const result = await applyPlan(executor(FABRIKAM, { verifyMs: 300 }), p);
    expect(result.outcome).toBe("accepted-not-visible");
    expect(result.answer?.status).toBe(204);
    expect(result.after).toEqual(p.before);
    expect(result.resourceAfter).toBeUndefined();
    expect(result.message).toMatch(/did not show it within/);
    await new Promise((r) => setTimeout(r, 1400));
    expect((await applyPlan(executor(FABRIKAM), p)).outcome).toBe("already-done");
  });

  it("reading again with growing pauses, it answers 'applied' once a read shows the change within the horizon", async () => {
    sim.state.writeVisibilityMs = 600;
    const p = await preview(FABRIKAM, { kind: "ca-exclude-account", policyId: CA02, accountId: FABRIKAM_ACCOUNT });
    sim.state.resetCounters();
    const result = await applyPlan(executor(FABRIKAM, { verifyMs: 5000 }), p);
    expect(result.outcome).toBe("applied");
    expect(result.after).toEqual(p.after);
    // The re-read before the write, then at least one read that still showed the old value.
    expect(sim.state.counters.byEndpoint.caPolicies).toBeGreaterThanOrEqual(3);
  });
});
