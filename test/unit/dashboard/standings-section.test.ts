/** The tenant page's decisions (lib/dashboard/standings-section.ts): which form each finding offers, escaping, and none in the report. Pure. */
import { describe, expect, it } from "vitest";
import { tenantHtml, type TenantView } from "../../../lib/dashboard/tenant-page.js";
import { registeredTenantSchema } from "../../../lib/model/tenant.js";
import { ESTATE_SCOPE, type ApprovedException, type AuditEntry } from "../../../lib/model/standing.js";
import { minimalState, openFinding } from "../../support/state.js";

const T = "00000000-0000-4000-8000-000000000001";
const at = "2026-01-01T00:00:00.000Z";
const excepted = (scope: string, checkId: string) => ({
  ...openFinding(checkId, "failing"),
  status: "resolved" as const,
  lastHeard: "resolved" as const,
  state: "excepted" as const,
  standing: { kind: "excepted" as const, exceptionId: `check:${checkId}`, scope, until: "2026-09-01T00:00:00.000Z", reason: "r", owner: "o", reference: "x" },
});
const findings = [
  openFinding("security-defaults", "enabled"),
  openFinding("conditional-access", "blocks", at, "pol-1"),
  { ...openFinding("mfa", "enforced"), state: "acknowledged" as const, standing: { kind: "acknowledged" as const, by: "ann", at, until: at, reason: "on it" } },
  excepted(T, "per-user-mfa"),
  excepted(ESTATE_SCOPE, "sign-ins"),
];
const exception: ApprovedException = {
  schemaVersion: 1,
  id: "check:per-user-mfa",
  scope: T,
  target: { kind: "check-waived", checkId: "per-user-mfa" },
  reason: "<i>workload identity</i>",
  owner: "Bob",
  reference: "CHG-1",
  expiresAt: "2026-09-01T00:00:00.000Z",
  by: "Ada",
  at,
};
const audit: AuditEntry[] = [
  { schemaVersion: 2, scope: T, at, by: "<b>Ada</b>", action: "exception-approved", subject: exception.id, before: null, after: exception },
];
const view: TenantView = {
  base: "/api/dashboard",
  tenantId: T,
  tenant: registeredTenantSchema.parse({ tenantId: T, displayName: "Contoso", account: "svc@a.example.com", recipients: [], profile: "strict", enabled: true }),
  accounts: [
    {
      account: { key: "", ref: "svc@a.example.com", kind: "connection", profile: "strict", objectId: null },
      state: { ...minimalState(T), findings },
      unreadableState: null,
      snapshots: [],
      diff: null,
      timeline: [],
      pending: [],
      deadLettered: [],
    },
  ],
  checkInFlightUntil: null,
  csrfToken: "tok",
  flash: null,
  exceptions: [exception],
  audit,
  problem: "<script>x</script> is not a check",
  readAt: "2026-03-01T00:00:00.000Z",
};

const item = (page: string, key: string): string => new RegExp(`<li data-finding="${key.replace("|", "\\|")}">([\\s\\S]*?)</li>`).exec(page)?.[1] ?? "";
const actions = (li: string): string[] => [...li.matchAll(/action="\/api\/dashboard\/tenants\/[^/]+\/([^"]+)"/g)].map((m) => m[1] ?? "");

describe("the tenant page's decisions", () => {
  it("offers acknowledge and except on an open finding, withdraw on an acknowledged one, remove on the tenant's own exception only", () => {
    const page = tenantHtml(view);
    expect(actions(item(page, "security-defaults|"))).toEqual(["acks", "exceptions"]);
    expect(item(page, "security-defaults|")).not.toContain('value="policy"');
    expect(item(page, "conditional-access|pol-1")).toContain('value="policy" checked');
    expect(actions(item(page, "mfa|"))).toEqual(["acks/withdraw"]);
    expect(actions(item(page, "per-user-mfa|"))).toEqual(["exceptions/remove"]);
    expect(item(page, "sign-ins|")).toContain("excepted until 2026-09-01");
    expect(actions(item(page, "sign-ins|"))).toEqual([]);
    expect(page.match(/name="csrf" value="tok"/g)?.length).toBe(2 + 2 + 1 + 1 + 1);
  });

  it("shows why a decision was not saved, the exceptions and the audit trail, escaped", () => {
    const page = tenantHtml(view);
    expect(page).toContain('<p class="notice error" role="alert">Not saved: &lt;script&gt;x&lt;/script&gt; is not a check</p>');
    expect(page).toContain("<td>&lt;i&gt;workload identity&lt;/i&gt;</td>");
    expect(page).toContain("<td>&lt;b&gt;Ada&lt;/b&gt;</td>");
    expect(page).not.toMatch(/<i>|<b>Ada/);
  });

  it("in the report: the findings, exceptions and audit trail, and no form", () => {
    const page = tenantHtml({ ...view, csrfToken: null, standalone: true, problem: null });
    expect(page).not.toContain("<form");
    expect(page).toContain("check per-user-mfa waived");
    expect(page).toContain("approved an exception");
    expect(page).toContain("acknowledged by ann");
  });
});
