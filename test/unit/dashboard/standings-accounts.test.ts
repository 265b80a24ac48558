/**
 * The tenant page of a tenant with two accounts (lib/dashboard/standings-section.ts): an account's
 * exception form covers that account by default, with the choice of every account; one account's
 * exception is named by the account's UPN (escaped) in the exceptions table and the audit trail,
 * in the dashboard and in the report alike. A tenant with one account offers no choice. Pure.
 */
import { describe, expect, it } from "vitest";
import { tenantHtml, type TenantView } from "../../../lib/dashboard/tenant-page.js";
import { registeredTenantSchema, type MonitoredAccount } from "../../../lib/model/tenant.js";
import type { Acknowledgement, ApprovedException, AuditEntry } from "../../../lib/model/standing.js";
import { minimalState, openFinding } from "../../support/state.js";

const T = "00000000-0000-4000-8000-000000000001";
const KEY = "0123456789ab";
const at = "2026-01-01T00:00:00.000Z";
const HOSTILE = "<b>svc</b>@b.example.com";

const accountView = (account: MonitoredAccount): TenantView["accounts"][number] => ({
  account,
  state: { ...minimalState(T), findings: [openFinding("security-defaults", "enabled")] },
  unreadableState: null,
  snapshots: [],
  diff: null,
  timeline: [],
  pending: [],
  deadLettered: [],
});
const registered = registeredTenantSchema.parse({ tenantId: T, displayName: "Contoso", account: "svc@a.example.com", recipients: [], enabled: true });
const first = accountView({ key: "", ref: "svc@a.example.com", kind: "connection", profile: "strict", objectId: null });
const second = accountView({ key: KEY, ref: HOSTILE, kind: "emergency-access", profile: "emergency-access", objectId: null });

const exception = (over: Partial<ApprovedException>): ApprovedException => ({
  schemaVersion: 1,
  id: "check:security-defaults",
  scope: T,
  target: { kind: "check-waived", checkId: "security-defaults" },
  reason: "appliance",
  owner: "Bob",
  reference: "CHG-1",
  expiresAt: "2026-09-01T00:00:00.000Z",
  by: "Ada",
  at,
  ...over,
});
const scoped = exception({ id: `check:security-defaults@${KEY}`, accountKey: KEY });
const tenantWide = exception({});
const ack: Acknowledgement = {
  schemaVersion: 1,
  tenantId: T,
  accountKey: KEY,
  findingKey: "security-defaults|",
  reason: "on it",
  by: "Ada",
  at,
  until: "2026-01-08T00:00:00.000Z",
  cause: "enabled",
  episode: at,
};
const audit: AuditEntry[] = [
  { schemaVersion: 2, scope: T, at, by: "Ada", action: "ack", subject: ack.findingKey, before: null, after: ack },
  { schemaVersion: 2, scope: T, at, by: "Ada", action: "exception-approved", subject: scoped.id, before: null, after: scoped },
  { schemaVersion: 2, scope: T, at, by: "Ada", action: "exception-approved", subject: tenantWide.id, before: null, after: tenantWide },
];

const view = (accounts: TenantView["accounts"], csrfToken: string | null): TenantView => ({
  base: "/api/dashboard",
  tenantId: T,
  tenant: undefined,
  accounts,
  checkInFlightUntil: null,
  csrfToken,
  flash: null,
  exceptions: [scoped, tenantWide],
  audit,
  problem: null,
  readAt: "2026-03-01T00:00:00.000Z",
});

/** The exception form of an account's section (by its key: "" the first). */
function exceptForm(page: string, key: string): string {
  const section = new RegExp(`<section class="account"[^>]*data-account="${key}"[\\s\\S]*?</section>`).exec(page)?.[0] ?? "";
  return /<form class="decide" method="post" action="[^"]*\/exceptions">[\s\S]*?<\/form>/.exec(section)?.[0] ?? "";
}

describe("the tenant page of a tenant with two accounts", () => {
  it("offers each account's exception for that account by default, or for every account", () => {
    // A tenant no longer registered shows no forms; the registered one does.
    expect(exceptForm(tenantHtml(view([first, second], "tok")), KEY)).toBe("");
    const live = tenantHtml({ ...view([first, second], "tok"), tenant: registered });
    const form = exceptForm(live, KEY);
    expect(form).toMatch(/name="cover" value="account" checked \/> only &lt;b&gt;svc&lt;\/b&gt;@b.example.com/);
    expect(form).toContain('name="cover" value="tenant" />');
    expect(form).toContain(`<input type="hidden" name="account" value="${KEY}" />`);
    expect(exceptForm(live, "")).toMatch(/name="cover" value="account" checked \/> only svc@a.example.com/);
  });

  it("a tenant with one account: no choice, the exception covers the tenant", () => {
    const page = tenantHtml({ ...view([first], "tok"), tenant: registered });
    expect(page).toContain('<span class="id">security-defaults|</span></td>');
    expect(exceptForm(page, "")).toContain("Approve exception");
    expect(exceptForm(page, "")).not.toContain('name="cover"');
  });

  it.each([
    ["the dashboard", "tok"],
    ["the report", null],
  ])("names one account's exception by its UPN, escaped, in the exceptions table and the audit trail (%s)", (_where, token) => {
    const page = tenantHtml({ ...view([first, second], token), tenant: registered, standalone: token === null });
    expect(page).toContain("<td>only &lt;b&gt;svc&lt;/b&gt;@b.example.com</td>");
    expect(page).toContain("<td>every account of this tenant</td>");
    expect(page).toContain(`<span class="id">check:security-defaults@${KEY}</span> (only &lt;b&gt;svc&lt;/b&gt;@b.example.com)`);
    expect(page).toContain('<span class="id">check:security-defaults</span></td>');
    // An acknowledgement is always one account's: named when the tenant has more than one.
    expect(page).toContain('<span class="id">security-defaults|</span> (&lt;b&gt;svc&lt;/b&gt;@b.example.com)</td>');
    expect(page).not.toContain("<b>svc");
  });
});
