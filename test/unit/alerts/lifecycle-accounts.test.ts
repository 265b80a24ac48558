/** The lifecycle finding key per monitored account: the tenant's first account keeps the key (and the PSA ticket marker) it always had. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findingKeyOf, lifecycleEvents } from "../../../lib/alerts/lifecycle/event.js";
import { alertOf, caFinding } from "./samples.js";

const ca = caFinding();
const drift = { kind: "drift-detected" as const, key: "d", finding: ca };
/** The key as every earlier version derived it: a hash of the tenant, the check and the subject. */
const oldKey = (tenantId: string): string => createHash("sha256").update(JSON.stringify(["finding", tenantId, ca.checkId, ca.subject])).digest("hex");

describe("lifecycle finding keys per account", () => {
  it.each([
    ["an alert written before accounts had keys", {}],
    ["the first account's alert", { accountKey: "" }],
  ])("%s keeps the old key", (_, extra) => {
    const alert = { ...alertOf("a1", [drift]), ...extra };
    const [event] = lifecycleEvents(alert);
    expect(event?.findingKey).toBe(oldKey(alert.tenantId));
    expect(findingKeyOf(alert.tenantId, ca.checkId, ca.subject, "")).toBe(oldKey(alert.tenantId));
  });

  it("another account's finding has its own key, and names the account and its kind", () => {
    const base = alertOf("a1", [drift]);
    const [first] = lifecycleEvents(base);
    const [second] = lifecycleEvents({ ...base, accountKey: "0123456789ab", accountKind: "emergency-access" });
    const [third] = lifecycleEvents({ ...base, accountKey: "ba9876543210" });
    expect(new Set([first?.findingKey, second?.findingKey, third?.findingKey]).size).toBe(3);
    expect(second?.account).toMatchObject({ key: "0123456789ab", kind: "emergency-access" });
  });
});
