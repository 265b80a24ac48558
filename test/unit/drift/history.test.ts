import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../../lib/drift/index.js";
import type { Report } from "../../../lib/model/report.js";
import type { Snapshot, StoredCaPolicy } from "../../../lib/model/state.js";

const TENANT = "11111111-1111-1111-1111-111111111111";

function snapshot(id: string, policies: StoredCaPolicy[] | null, statuses: Partial<Record<string, string>> = {}): Snapshot {
  const report: Report = {
    schemaVersion: 1,
    tenantId: TENANT,
    checkedAt: "2026-01-01T00:00:00.000Z",
    profile: "strict",
    account: { id: null, userPrincipalName: null },
    status: Object.values(statuses).includes("fail") ? "drifted" : "compliant",
    warnings: 0,
    checks: [
      { id: "security-defaults", status: (statuses["security-defaults"] ?? "pass") as "pass", summary: "" },
      { id: "conditional-access", status: (statuses["conditional-access"] ?? "pass") as "pass", summary: "" },
    ],
  };
  return {
    schemaVersion: 1,
    id: id,
    tenantId: TENANT,
    takenAt: `2026-01-0${id}T00:00:00.000Z`,
    report,
    factsDigest: id,
    facts: {
      tenantId: TENANT,
      collectedAt: "2026-01-01T00:00:00.000Z",
      conditionalAccessPolicies: policies ? { ok: true, value: policies } : { ok: false, code: "forbidden", reason: "403" },
    },
  };
}

const policy = (id: string, name: string, extra: Record<string, unknown> = {}): StoredCaPolicy => ({
  id,
  displayName: name,
  state: "enabled",
  conditions: { users: { includeUsers: ["All"], excludeUsers: [] }, applications: { includeApplications: ["All"] } },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
  ...extra,
});

describe("diffSnapshots", () => {
  it("lists policies that appeared, changed (by content, which fields) and disappeared, and checks that changed", () => {
    const older = snapshot("1", [policy("a", "Alpha"), policy("b", "Beta"), policy("c", "Gamma")]);
    const reordered = {
      state: "enabled",
      displayName: "Alpha",
      id: "a",
      grantControls: { builtInControls: ["mfa"], operator: "OR" },
      conditions: { applications: { includeApplications: ["All"] }, users: { excludeUsers: [], includeUsers: ["All"] } },
    };
    const newer = snapshot("2", [reordered, policy("b", "Beta", { state: "disabled", "@odata.context": "x" }), policy("d", "Delta")], {
      "conditional-access": "fail",
    });
    const d = diffSnapshots(older, newer);
    expect(d.policies).toEqual({
      appeared: [{ id: "d", displayName: "Delta" }],
      changed: [{ id: "b", displayName: "Beta", fields: ["state"] }],
      disappeared: [{ id: "c", displayName: "Gamma" }],
    });
    expect(d.checks).toEqual([{ id: "conditional-access", from: "pass", to: "fail" }]);
    expect(d.status).toEqual({ from: "compliant", to: "drifted" });
    expect(d.from.id).toBe("1");
    expect(d.to.id).toBe("2");
  });

  it("says nothing about policies when either side could not read them", () => {
    expect(diffSnapshots(snapshot("1", null), snapshot("2", [policy("a", "A")])).policies).toBeNull();
  });

  it("finds no difference between equal snapshots", () => {
    const d = diffSnapshots(snapshot("1", [policy("a", "A")]), snapshot("2", [policy("a", "A")]));
    expect(d).toMatchObject({ status: null, checks: [], policies: { appeared: [], changed: [], disappeared: [] } });
  });
});
