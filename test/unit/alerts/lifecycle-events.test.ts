/** The lifecycle webhook's events, pure: which event each transition is, the finding's stable key, and each event's own idempotency key. */
import { describe, expect, it } from "vitest";
import { findingKeyOf, LIFECYCLE_SCHEMA, lifecycleEvents, lifecycleEventSchema, type LifecycleEvent } from "../../../lib/alerts/lifecycle/event.js";
import type { Transition } from "../../../lib/model/state.js";
import { alertOf, caFinding, NOW, securityDefaultsFinding } from "./samples.js";

const TENANT_ID = alertOf("x", []).tenantId;

const ca = caFinding();
const at = NOW.toISOString();

const TABLE: [string, Transition, Pick<LifecycleEvent, "event" | "reason" | "severity" | "resolvedAt"> | null][] = [
  ["drift detected opens", { kind: "drift-detected", key: "d", finding: ca }, { event: "opened", reason: "detected", severity: "now", resolvedAt: null }],
  [
    "drift detected after a resolution reopens",
    { kind: "drift-detected", key: "d2", finding: ca, previouslyResolvedAt: at },
    { event: "opened", reason: "reopened", severity: "now", resolvedAt: null },
  ],
  [
    "a reminder updates",
    { kind: "reminder", key: "r", finding: ca, lastAlertedAt: at, flaps: 0 },
    { event: "updated", reason: "reminder", severity: "now", resolvedAt: null },
  ],
  ["a change updates", { kind: "finding-changed", key: "fc", finding: ca }, { event: "updated", reason: "changed", severity: "now", resolvedAt: null }],
  ["resolved resolves", { kind: "resolved", key: "x", finding: ca, resolvedAt: at }, { event: "resolved", reason: "fixed", severity: "now", resolvedAt: at }],
  [
    "a retired check resolves",
    { kind: "check-retired", key: "c", finding: { ...ca, checkId: "gone", key: "gone|" }, reason: "the check was removed" },
    { event: "resolved", reason: "check-retired", severity: "now", resolvedAt: null },
  ],
  ["an early warning is no lifecycle event", { kind: "early-warning", key: "e", finding: securityDefaultsFinding }, null],
  ["a security notice is none", { kind: "security-notice", key: "s", added: [], removed: [], methods: [] }, null],
  ["monitoring degraded is none", { kind: "monitoring-degraded", key: "m", unknownRuns: 3, since: at, reasons: [] }, null],
];

describe("lifecycle events", () => {
  it.each(TABLE)("%s", (_, transition, expected) => {
    const events = lifecycleEvents(alertOf("a1", [transition]));
    if (expected === null) return expect(events).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ schema: LIFECYCLE_SCHEMA, ...expected });
    expect(lifecycleEventSchema.parse(events[0])).toEqual(events[0]);
  });

  it("keys the finding on tenant, check and subject, never its title or summary: the same from opened to resolved", () => {
    const renamed = { ...ca, subjectName: "Renamed policy", summary: "2 policies block the account" };
    const [opened] = lifecycleEvents(alertOf("a1", [{ kind: "drift-detected", key: "d", finding: ca }]));
    const [resolved] = lifecycleEvents(alertOf("a2", [{ kind: "resolved", key: "x", finding: renamed, resolvedAt: at }]));
    expect(opened!.findingKey).toBe(resolved!.findingKey);
    expect(opened!.findingKey).toBe(findingKeyOf(TENANT_ID, "conditional-access", ca.subject));
    expect(findingKeyOf(TENANT_ID, "conditional-access", "other-policy")).not.toBe(opened!.findingKey);
    expect(findingKeyOf("another-tenant", "conditional-access", ca.subject)).not.toBe(opened!.findingKey);
  });

  it("gives each event its own idempotency key, the same however often the row is rendered", () => {
    const alert = alertOf("a1", [
      { kind: "drift-detected", key: "d", finding: ca },
      { kind: "drift-detected", key: "d-sd", finding: securityDefaultsFinding },
    ]);
    const once = lifecycleEvents(alert);
    const again = lifecycleEvents(structuredClone(alert));
    expect(again).toEqual(once);
    expect(new Set(once.map((e) => e.idempotencyKey)).size).toBe(2);
    expect(lifecycleEvents(alertOf("a2", alert.transitions)).map((e) => e.idempotencyKey)).not.toEqual(once.map((e) => e.idempotencyKey));
  });

  it("links only https: the check's portal pages in the tenant, and the dashboard when it is https", () => {
    const [e] = lifecycleEvents(alertOf("a1", [{ kind: "drift-detected", key: "d", finding: ca }]), { dashboardUrl: "http://localhost:7071/dashboard" });
    expect(e!.links.length).toBeGreaterThan(0);
    for (const l of e!.links) expect(l.url).toMatch(new RegExp(`^https://[^/]+/${TENANT_ID}/`));
    const [withDashboard] = lifecycleEvents(alertOf("a1", [{ kind: "drift-detected", key: "d", finding: ca }]), { dashboardUrl: "https://dm.example/" });
    expect(withDashboard!.links.at(-1)).toEqual({ label: "Drift Monitor dashboard", url: "https://dm.example/" });
  });
});
