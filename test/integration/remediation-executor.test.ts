/**
 * The remediation executor against the simulator, over HTTPS with the remediation app's own
 * credential: preview then apply, a policy edited between the two (nothing overwritten), a repeated
 * apply (nothing sent), the monitoring app's read-only token refused for the write, and Graph's
 * answer redacted.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { previewFix } from "../../lib/remediation/preview.js";
import { applyPlan } from "../../lib/remediation/executor.js";
import { RemediationError, StalePlanError } from "../../lib/remediation/errors.js";
import { isManual, type Remediation, type RemediationPlan } from "../../lib/remediation/plan.js";
import { remediationTransport } from "../../lib/remediation/client.js";
import { CA02, executor, excludeUsersOf, FABRIKAM, FABRIKAM_ACCOUNT, grantWriter, settings, sim, useRemediationSimulator } from "./remediation-helpers.js";

useRemediationSimulator();
beforeEach(() => grantWriter());

const OTHER = "d7f10200-0000-4000-8000-000000000002";
const caTarget = { kind: "ca-exclude-account", policyId: CA02, accountId: FABRIKAM_ACCOUNT };

function plan(r: Remediation): RemediationPlan {
  if (isManual(r)) throw new Error(r.manual);
  return r;
}

async function previewCa(): Promise<RemediationPlan> {
  return plan(await previewFix(executor(FABRIKAM).transport, caTarget));
}

describe("remediation executor: a blocking Conditional Access policy", () => {
  it("previews the exact change, applies it, and answers with Graph's 204 and the policy before and after", async () => {
    const p = await previewCa();
    expect(p.before).toEqual({ conditions: { users: { excludeUsers: [] } } });
    expect(p.request.body).toEqual({ conditions: { users: { excludeUsers: [FABRIKAM_ACCOUNT] } } });

    const result = await applyPlan(executor(FABRIKAM), p);
    expect(result.outcome).toBe("applied");
    expect(result.answer?.status).toBe(204);
    expect(result.before).toEqual(p.before);
    expect(result.after).toEqual(p.after);
    expect((result.resourceBefore as { displayName: string }).displayName).toBe("CA02 - Require MFA for all users");
    expect(result.resourceAfter).toMatchObject({ conditions: { users: { includeUsers: ["All"], excludeUsers: [FABRIKAM_ACCOUNT] } } });
    expect(excludeUsersOf(FABRIKAM, CA02)).toEqual([FABRIKAM_ACCOUNT]);
  });

  it("the policy edited between preview and apply: StalePlan ('preview again'), and the other edit is not overwritten", async () => {
    const p = await previewCa();
    // Another administrator excludes someone else meanwhile.
    (sim.state.tenant(FABRIKAM).conditionalAccessPolicies.find((x) => x.id === CA02)!.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers =
      [OTHER];
    sim.state.resetCounters();
    const error = await applyPlan(executor(FABRIKAM), p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StalePlanError);
    expect((error as StalePlanError).code).toBe("StalePlan");
    expect((error as Error).message).toMatch(/changed since the preview: preview again/);
    expect((error as StalePlanError).current).toEqual({ conditions: { users: { excludeUsers: [OTHER] } } });
    expect(sim.state.counters.byEndpoint.updateCaPolicy ?? 0).toBe(0);
    expect(excludeUsersOf(FABRIKAM, CA02)).toEqual([OTHER]);

    // Previewed again, the plan keeps the other exclusion.
    const again = await previewCa();
    expect(again.request.body).toEqual({ conditions: { users: { excludeUsers: [OTHER, FABRIKAM_ACCOUNT] } } });
    expect((await applyPlan(executor(FABRIKAM), again)).outcome).toBe("applied");
    expect(excludeUsersOf(FABRIKAM, CA02)).toEqual([OTHER, FABRIKAM_ACCOUNT]);
  });

  it("applying the same plan again is 'already done' and sends nothing", async () => {
    const p = await previewCa();
    expect((await applyPlan(executor(FABRIKAM), p)).outcome).toBe("applied");
    const second = await applyPlan(executor(FABRIKAM), p);
    expect(second.outcome).toBe("already-done");
    expect(second.answer).toBeUndefined();
    expect(sim.state.counters.byEndpoint.updateCaPolicy).toBe(1);
  });

  it("the monitoring app's token (read-only roles) is refused the write with 403 and the policy is unchanged", async () => {
    const p = await previewCa();
    // The monitoring app's client id: the tenant grants it only the read-only set.
    const monitoring = settings({ REMEDIATION_CLIENT_ID: "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11" });
    const result = await applyPlan({ ...executor(FABRIKAM), transport: remediationTransport(FABRIKAM, monitoring) }, p);
    expect(result.outcome).toBe("refused");
    expect(result.answer).toMatchObject({ status: 403, body: { error: { code: "Authorization_RequestDenied" } } });
    expect(excludeUsersOf(FABRIKAM, CA02)).toEqual([]);
    // The simulator notes which app asked: the monitoring app's attempt, refused.
    expect(sim.state.writeAttempts.map((w) => [w.appId, w.allowed])).toEqual([["5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11", false]]);
  });

  it("a tenant that has not consented the remediation app refuses the write the same way", async () => {
    for (const t of sim.state.tenants()) delete t.appGrants;
    const result = await applyPlan(executor(FABRIKAM), await previewCa());
    expect(result.outcome).toBe("refused");
    expect(result.answer?.status).toBe(403);
  });

  it("Graph's answer is redacted: a 401 that echoes the bearer token keeps no token", async () => {
    sim.state.addFault({ tenantId: FABRIKAM, endpoint: "updateCaPolicy", kind: "echo-secret", times: 1 });
    const result = await applyPlan(executor(FABRIKAM), await previewCa());
    expect(result.outcome).toBe("refused");
    expect(result.answer?.status).toBe(401);
    expect(JSON.stringify(result.answer?.body)).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
    expect(JSON.stringify(result.answer?.body)).toContain("redacted");
  });

  it("a policy that does not exist: the preview says so with a code, nothing is written", async () => {
    const error = await previewFix(executor(FABRIKAM).transport, { ...caTarget, policyId: "00000000-0000-4000-8000-000000000000" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemediationError);
    expect((error as RemediationError).code).toBe("ReadFailed");
    expect((error as Error).message).toContain("404");
  });

  it("every request has the remediation timeout: a Graph that does not answer in time is GraphUnreachable, and nothing is written", async () => {
    const p = await previewCa();
    sim.state.latencyMs = 1500;
    try {
      const slow = executor(FABRIKAM, { settings: settings({ REMEDIATION_TIMEOUT_SECONDS: "1" }) });
      const error = await applyPlan(slow, p).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemediationError);
      expect((error as RemediationError).code).toBe("GraphUnreachable");
    } finally {
      sim.state.latencyMs = 0;
    }
    expect(excludeUsersOf(FABRIKAM, CA02)).toEqual([]);
  });

  it("an invalid target is refused before anything is read", async () => {
    await expect(previewFix(executor(FABRIKAM).transport, { kind: "ca-exclude-account", policyId: "CA02", accountId: FABRIKAM_ACCOUNT })).rejects.toThrow(
      /GUID/,
    );
    await expect(previewFix(executor(FABRIKAM).transport, { kind: "delete-policy", policyId: CA02 })).rejects.toThrow();
  });
});
