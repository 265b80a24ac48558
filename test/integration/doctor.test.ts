/**
 * `drift-monitor doctor` against the simulator: each Graph request alone, through the product's
 * own client; permissions withheld with 403 faults per endpoint, an unlicensed tenant, and the
 * tenant whose admin consent was revoked (as a 403 on every request with a ready token, and as
 * AADSTS65001 from the token endpoint with a client secret).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sampleTenant, startTestSimulator, type RunningSimulator } from "../../sim/testing.js";
import { runCliCaptured, type CliRun } from "../support/cli.js";
import { clearCredentialCache } from "../../lib/graph/credentials.js";
import type { DoctorReport } from "../../cli/doctor/types.js";
import { requiredPermissions } from "../../lib/graph/permissions.js";
import { FACT_KEYS } from "../../lib/graph/facts/index.js";

const CLIENT_ID = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";
/** What the checks need, from the facts' registry: the doctor asks exactly these. */
const REQUIRED: readonly string[] = requiredPermissions();

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.state.clearFaults();
  sim.state.resetCounters();
  clearCredentialCache();
});

function tokenEnv(tenantId: string): Record<string, string> {
  return { GRAPH_ENDPOINT: sim.url, GRAPH_ACCESS_TOKEN: sim.mintToken(tenantId), AZURE_CLIENT_ID: CLIENT_ID };
}

const doctor = (argv: string[], env: Record<string, string>): Promise<CliRun> => runCliCaptured(["doctor", ...argv], env);

async function doctorJson(tenantId: string, env: Record<string, string>, account?: string): Promise<{ code: number; report: DoctorReport }> {
  const { code, out, err } = await doctor(["--tenant", tenantId, ...(account ? ["--account", account] : []), "--json"], env);
  expect(err).toBe("");
  return { code, report: JSON.parse(out) as DoctorReport };
}

const statusOf = (r: DoctorReport, permission: string) => r.permissions.find((p) => p.permission === permission)?.status;

describe("drift-monitor doctor", () => {
  it("a consented, licensed tenant: every permission granted, P1 present, exit 0, each request sent alone", async () => {
    const t = sampleTenant("Woodgrove");
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId), t.account);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.token.ok).toBe(true);
    expect(report.account).toMatchObject({ ref: t.account, found: true });
    for (const p of REQUIRED) expect(statusOf(report, p), p).toBe("granted");
    expect(report.licences).toEqual([
      expect.objectContaining({ licence: "Entra ID P1", status: "present" }),
      expect.objectContaining({ licence: "Entra ID P2", status: "present" }),
      expect.objectContaining({ licence: "Entra ID P2 (Identity Protection)", status: "present" }),
    ]);
    // Every fact (contexts and named locations; domains, sign-in activity, user risk, the audit log and the app's grants among them); What If comes on top.
    expect(report.probes).toHaveLength(FACT_KEYS.length);
    expect(report.probes.every((p) => p.outcome === "granted")).toBe(true);
    // Not batched: every answer is attributable to one request.
    expect(sim.state.counters.batchRequests).toBe(0);
    expect(sim.state.counters.httpRequests).toBe(FACT_KEYS.length + 1);
    expect(sim.state.counters.byEndpoint.whatIf).toBe(1);
  });

  const WITHHELD: [endpoint: string, permission: string | string[]][] = [
    // The simulated fault refuses every user read, signInActivity's too (which needs AuditLog.Read.All as well).
    ["user", ["User.Read.All", "AuditLog.Read.All"]],
    ["transitiveMemberOf", "GroupMember.Read.All"],
    ["roleAssignments", "RoleManagement.Read.Directory"],
    ["roleEligibility", "RoleManagement.Read.Directory"],
    ["roleAssignmentInstances", "RoleManagement.Read.Directory"],
    ["caPolicies", "Policy.Read.All"],
    ["securityDefaults", "Policy.Read.All"],
    ["perUserMfa", "Policy.Read.All"],
    ["authMethodsPolicy", "Policy.Read.All"],
    ["authMethods", "UserAuthenticationMethod.Read.All"],
    ["registrationDetails", "AuditLog.Read.All"],
    ["signIns", "AuditLog.Read.All"],
    ["domains", "Domain.Read.All"],
    ["riskyUsers", "IdentityRiskyUser.Read.All"],
    ["namedLocations", "Policy.Read.All"],
    ["appRoleAssignments", "Application.Read.All"],
  ];

  it.each(WITHHELD)("403 on %s names %s as missing, with the consent link, exit 2", async (endpoint, permissions) => {
    const [permission = "", ...alsoMissing] = [permissions].flat();
    const t = sampleTenant("Fabrikam");
    sim.state.addFault({ tenantId: t.tenantId, endpoint: endpoint as never, kind: "403" });
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId), t.account);
    expect(code).toBe(2);
    expect(report.ok).toBe(false);
    const missing = report.permissions.filter((p) => p.status === "missing").map((p) => p.permission);
    // The optional What If permission is not in the sim's tokens; it never decides the exit code.
    expect(missing.filter((p) => REQUIRED.includes(p))).toEqual([permission, ...alsoMissing]);
    const found = report.permissions.find((p) => p.permission === permission);
    expect(found?.fix).toContain(permission);
    expect(found?.fix).toContain(`https://login.microsoftonline.com/${t.tenantId}/adminconsent?client_id=${CLIENT_ID}`);
    expect(report.summary).toContain(permission);
    for (const other of REQUIRED.filter((p) => p !== permission && !alsoMissing.includes(p))) expect(statusOf(report, other), other).toBe("granted");
  });

  it("several permissions withheld: each is named, in words too", async () => {
    const t = sampleTenant("Fabrikam");
    for (const endpoint of ["caPolicies", "authMethods", "roleEligibility"] as const) sim.state.addFault({ tenantId: t.tenantId, endpoint, kind: "403" });
    const { code, out } = await doctor(["--tenant", t.tenantId, "--account", t.account], tokenEnv(t.tenantId));
    expect(code).toBe(2);
    expect(out).toMatch(/MISSING\s+Policy\.Read\.All/);
    expect(out).toMatch(/MISSING\s+UserAuthenticationMethod\.Read\.All/);
    expect(out).toMatch(/MISSING\s+RoleManagement\.Read\.Directory/);
    expect(out).toMatch(/ok\s+User\.Read\.All/);
    expect(out).toContain("NOT READY: 3 permissions missing: RoleManagement.Read.Directory, Policy.Read.All, UserAuthenticationMethod.Read.All");
    expect(out).toContain("fix: Add the Microsoft Graph application permission Policy.Read.All");
  });

  it("an unlicensed tenant: P1 and P2 absent, AuditLog.Read.All verified through the audit log (no licence needed), still exit 0", async () => {
    const t = sampleTenant("Lucerne");
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId), t.account);
    expect(code).toBe(0);
    expect(report.licences.map((l) => [l.licence, l.status])).toEqual([
      ["Entra ID P1", "absent"],
      ["Entra ID P2", "absent"],
      ["Entra ID P2 (Identity Protection)", "absent"],
    ]);
    // The sign-in reads need P1; the directory audit log does not, so its probe verifies the permission.
    expect(statusOf(report, "AuditLog.Read.All")).toBe("granted");
    expect(
      report.probes
        .filter((p) => p.outcome === "unlicensed")
        .map((p) => p.fact)
        .sort(),
    ).toEqual(["registrationDetails", "riskyUser", "roleAssignmentInstances", "roleEligibility", "signInActivity", "signInContexts", "signIns"]);
    expect(report.summary).toMatch(/IdentityRiskyUser\.Read\.All not verifiable without Entra ID P2/);
  });

  it("a P1-only tenant: PIM eligibility not licensed (P2 named), RoleManagement.Read.Directory granted, exit 0", async () => {
    const t = sampleTenant("Tailspin");
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId), t.account);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    // Identity Protection needs P2: its permission cannot be proven without it.
    for (const p of REQUIRED) expect(statusOf(report, p), p).toBe(p === "IdentityRiskyUser.Read.All" ? "not-verifiable" : "granted");
    expect(report.probes.filter((p) => p.outcome !== "granted")).toEqual([
      expect.objectContaining({ fact: "roleEligibility", outcome: "unlicensed", httpStatus: 400 }),
      expect.objectContaining({ fact: "roleAssignmentInstances", outcome: "unlicensed", httpStatus: 400 }),
      // Identity Protection's licence wall is a 403 "Your tenant is not licensed for this feature." (sim/errors.ts).
      expect.objectContaining({ fact: "riskyUser", outcome: "unlicensed", httpStatus: 403 }),
    ]);
    expect(report.licences).toEqual([
      expect.objectContaining({ licence: "Entra ID P1", status: "present" }),
      expect.objectContaining({
        licence: "Entra ID P2",
        status: "absent",
        detail: expect.stringMatching(/^not licensed \(needs Entra ID P2 or Microsoft Entra ID Governance\)/),
      }),
      // ID Governance does not include Identity Protection: its own line, naming Entra ID P2 alone.
      expect.objectContaining({
        licence: "Entra ID P2 (Identity Protection)",
        status: "absent",
        detail: expect.stringMatching(/^not licensed \(needs Entra ID P2\)/),
      }),
    ]);

    const text = await doctor(["--tenant", t.tenantId, "--account", t.account], tokenEnv(t.tenantId));
    expect(text.code).toBe(0);
    expect(text.out).toContain("Entra ID P2: not licensed (needs Entra ID P2 or Microsoft Entra ID Governance)");
    expect(text.out).toMatch(/ok\s+RoleManagement\.Read\.Directory\s+Graph answered 1 request; PIM-eligible roles: not licensed \(needs Entra ID P2/);
    expect(text.out).toMatch(/^OK: .*not licensed: Entra ID P2 or Microsoft Entra ID Governance \/ Entra ID P2$/m);
    expect(text.out).not.toMatch(/again/i);
  });

  it("consent revoked, with a ready token: every request refused, says to grant admin consent", async () => {
    const t = sampleTenant("Trey Research");
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId), t.account);
    expect(code).toBe(2);
    for (const p of REQUIRED) expect(statusOf(report, p), p).toBe("missing");
    expect(report.summary).toMatch(/refused every request.*admin consent/);
    expect(report.consentUrl).toBe(`https://login.microsoftonline.com/${t.tenantId}/adminconsent?client_id=${CLIENT_ID}`);
  });

  it("consent revoked, with the app's secret: the token fails with AADSTS65001 and the fix is the consent link", async () => {
    const t = sampleTenant("Trey Research");
    const env = { GRAPH_ENDPOINT: sim.url, AZURE_AUTHORITY_HOST: sim.url, AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: "not-a-real-secret" };
    const { code, report } = await doctorJson(t.tenantId, env, t.account);
    expect(code).toBe(2);
    expect(report.token).toMatchObject({ ok: false, aadsts: "65001" });
    expect(!report.token.ok && report.token.fix).toContain(`${sim.url}/${t.tenantId}/adminconsent?client_id=${CLIENT_ID}`);
    expect(report.probes).toEqual([]);
    expect(report.permissions.filter((p) => p.required).every((p) => p.status === "unknown")).toBe(true);
    // No Graph request went out after the refused token.
    expect(Object.keys(sim.state.counters.byEndpoint).filter((e) => e !== "token")).toEqual([]);

    const text = await doctor(["--tenant", t.tenantId], env);
    expect(text.code).toBe(2);
    expect(text.out).toContain("Token        FAILED (AADSTS65001)");
  });

  it("a consented tenant through the token endpoint (secret): token roles listed, exit 0", async () => {
    const t = sampleTenant("Woodgrove");
    const env = { GRAPH_ENDPOINT: sim.url, AZURE_AUTHORITY_HOST: sim.url, AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: "not-a-real-secret" };
    const { code, report } = await doctorJson(t.tenantId, env, t.account);
    expect(code).toBe(0);
    expect(report.token.ok && report.token.roles).toEqual([...REQUIRED].sort());
    expect(statusOf(report, "Policy.Read.ConditionalAccess")).toBe("missing");
  });

  it("without --account: a placeholder id, 404s prove the permissions", async () => {
    const t = sampleTenant("Woodgrove");
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId));
    expect(code).toBe(0);
    expect(report.account).toBeUndefined();
    expect(report.probes.filter((p) => p.httpStatus === 404).length).toBeGreaterThan(0);
    for (const p of REQUIRED) expect(statusOf(report, p), p).toBe("granted");
  });

  it("an account that does not exist is reported, the permissions still proven", async () => {
    const t = sampleTenant("Bellows");
    const { code, report } = await doctorJson(t.tenantId, tokenEnv(t.tenantId), t.account);
    expect(code).toBe(0);
    expect(report.account).toEqual({ ref: t.account, found: false });
  });

  it("a throttled request is not called granted: exit 2, could not verify", async () => {
    const t = sampleTenant("Woodgrove");
    sim.state.addFault({ tenantId: t.tenantId, endpoint: "securityDefaults", kind: "503" });
    const env = tokenEnv(t.tenantId);
    const { code, report } = await doctorJson(t.tenantId, env, t.account);
    expect(code).toBe(2);
    expect(statusOf(report, "Policy.Read.All")).toBe("unknown");
    expect(report.summary).toMatch(/Could not verify Policy\.Read\.All/);
  }, 60_000);

  it.each([
    [["--tenant", "contoso"], { GRAPH_ACCESS_TOKEN: "t" }, /not a tenant id/],
    [["--tenant", "d7f00000-0000-4000-8000-000000000001", "--account", "not an account"], { GRAPH_ACCESS_TOKEN: "t" }, /neither a user principal name/],
    [["--tenant", "d7f00000-0000-4000-8000-000000000001"], {}, /No Graph credential/],
  ])("exits 64 on %j", async (argv, env, message) => {
    const { code, out, err } = await doctor(argv, env);
    expect(code).toBe(64);
    expect(out).toBe("");
    expect(err).toMatch(message);
  });
});
