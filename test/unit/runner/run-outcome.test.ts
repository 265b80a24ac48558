/** A tenant's RunOutcome from its accounts' (pure), and the outbox ids each account's run derives. */
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { tenantOutcome } from "../../../lib/runner/run-outcome.js";
import { buildOutboxAlert } from "../../../lib/runner/outbox.js";
import type { AccountOutcome } from "../../../lib/runner/types.js";
import type { Report } from "../../../lib/model/report.js";
import { registeredTenantSchema } from "../../../lib/model/tenant.js";
import type { Transition } from "../../../lib/model/state.js";

const TENANT = "00000000-0000-4000-8000-00000000aaaa";
const report = (status: Report["status"]): Report => ({
  schemaVersion: 1,
  tenantId: TENANT,
  checkedAt: "2026-03-02T08:00:00.000Z",
  profile: "strict",
  account: { id: null, userPrincipalName: null },
  status,
  warnings: 0,
  checks: [],
});
const outcome = (key: string, status: Report["status"], over: Partial<AccountOutcome> = {}): AccountOutcome => ({
  accountKey: key,
  accountRef: `${key || "first"}@contoso.com`,
  kind: "connection",
  report: report(status),
  transitions: [],
  alert: undefined,
  snapshot: undefined,
  stateVersion: 1,
  attempts: 1,
  removedSnapshots: 0,
  superseded: false,
  repeated: false,
  ...over,
});

describe("tenantOutcome", () => {
  it.each([
    ["compliant and compliant", ["compliant", "compliant"], "compliant"],
    ["compliant and drifted", ["compliant", "drifted"], "drifted"],
    ["drifted and unknown", ["drifted", "unknown"], "unknown"],
    ["unknown and compliant", ["unknown", "compliant"], "unknown"],
  ] as const)("%s is %s at worst", (_, statuses, worst) => {
    const result = tenantOutcome(TENANT, [outcome("", statuses[0]), outcome("0123456789ab", statuses[1])], 7);
    expect(result.status).toBe(worst);
    expect(result.report.status).toBe(statuses[0]);
    expect(result.roundTrips).toBe(7);
  });

  it("repeated or superseded only when every account is; late when any is", () => {
    const one = tenantOutcome(TENANT, [outcome("", "compliant", { repeated: true }), outcome("0123456789ab", "compliant")], 0);
    expect(one.repeated).toBe(false);
    const both = tenantOutcome(TENANT, [outcome("", "compliant", { repeated: true }), outcome("0123456789ab", "compliant", { repeated: true })], 0);
    expect(both.repeated).toBe(true);
    const late = tenantOutcome(TENANT, [outcome("", "compliant"), outcome("0123456789ab", "compliant", { late: "throttled" })], 0);
    expect(late.late).toBe("throttled");
  });
});

describe("buildOutboxAlert per account", () => {
  const tenant = registeredTenantSchema.parse({
    tenantId: TENANT,
    displayName: "Contoso",
    recipients: ["ops@contoso.com"],
    accounts: [
      { key: "", ref: "svc@contoso.com", kind: "connection", profile: "strict", objectId: null },
      { key: "0123456789ab", ref: "bg@contoso.com", kind: "emergency-access", profile: "emergency-access", objectId: null },
    ],
  });
  const t: Transition = { kind: "monitoring-restored", key: "restored", degradedSince: "2026-03-01T00:00:00.000Z", status: "compliant" };
  const [first, second] = tenant.accounts;

  it("the first account's id is derived as before accounts had keys; another account's differs", () => {
    const a = buildOutboxAlert({ tenant, account: first! }, 3, [t], report("compliant"), new Date(0));
    const b = buildOutboxAlert({ tenant, account: second! }, 3, [t], report("compliant"), new Date(0));
    const old = createHash("sha256").update([TENANT, "3", "restored"].join("\n")).digest("hex").slice(0, 32);
    expect(a?.id).toBe(old);
    expect(a?.accountKey).toBeUndefined();
    expect(b?.id).not.toBe(old);
    expect(b).toMatchObject({ accountKey: "0123456789ab", accountRef: "bg@contoso.com", accountKind: "emergency-access", tenantAccounts: 2 });
  });
});
