/**
 * The lifecycle webhook through the real delivery loop (Azurite, the ACS fake, the app's roll-up
 * wiring) to a local HTTP receiver: one event per finding, opened once, updated at a reminder,
 * resolved once; a row posted again after a failure repeats its events with the same keys; and
 * the tenant's text arrives as JSON string values only.
 */
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { lifecycleEventSchema, type LifecycleEvent } from "../../lib/alerts/lifecycle/event.js";
import type { Transition } from "../../lib/model/state.js";
import { alertOf, caFinding, HOSTILE_POLICY, NOW, securityDefaultsFinding } from "../unit/alerts/samples.js";
import { harness, rollupDeps, startHook, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const ca = caFinding();
const at = (minutes: number): string => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const LIFECYCLE = { ALERT_WEBHOOK_FORMAT: "lifecycle", ALERT_EMAILS_PER_MINUTE: "1000", ALERT_EMAILS_PER_HOUR: "100000" };

const events = (bodies: readonly string[]): LifecycleEvent[] => bodies.map((b) => lifecycleEventSchema.parse(JSON.parse(b)));

describe("the lifecycle webhook", () => {
  it("opens a finding once, updates it at a reminder, resolves it once, each under the same finding key", async () => {
    const h = harness();
    const hook = await startHook();
    try {
      const rows: [string, Transition, number][] = [
        ["open", { kind: "drift-detected", key: "drift-detected|ca", finding: ca }, 0],
        ["remind", { kind: "reminder", key: "reminder|ca|1", finding: ca, lastAlertedAt: at(0), flaps: 0 }, 1],
        ["fix", { kind: "resolved", key: "resolved|ca", finding: { ...ca, summary: "renamed" }, resolvedAt: at(2) }, 2],
      ];
      // No recipients of its own: with the roll-up the rows' emails go in the summary, yet each row still reaches the lifecycle webhook.
      await h.write(...rows.map(([id, t, m]) => alertOf(id, [t], { createdAt: at(m), recipients: [] })));
      h.clock.t += 5 * 60_000;
      const deps = rollupDeps(h, { ALERT_WEBHOOK_URL: hook.url, ...LIFECYCLE });
      await deliverDue(deps);
      await deliverDue(deps);
      const got = events(hook.bodies);
      expect(got.map((e) => e.event).sort()).toEqual(["opened", "resolved", "updated"]);
      expect(got[0]!.event).toBe("opened");
      expect(new Set(got.map((e) => e.findingKey)).size).toBe(1);
      expect(new Set(got.map((e) => e.idempotencyKey)).size).toBe(3);
      expect(hook.headers.map((x) => x["idempotency-key"])).toEqual(got.map((e) => e.idempotencyKey));
      expect(got.find((e) => e.event === "resolved")).toMatchObject({ reason: "fixed", resolvedAt: at(2), severity: "now" });
    } finally {
      await hook.stop();
    }
  });

  it("a row posted again after a failed event repeats the events that arrived, with the same idempotency keys", async () => {
    const h = harness();
    // The first event arrives, the second is refused: the row is retried whole.
    const hook = await startHook([200, 503]);
    try {
      await h.write(
        alertOf("two", [
          { kind: "drift-detected", key: "drift-detected|ca", finding: ca },
          { kind: "drift-detected", key: "drift-detected|sd", finding: securityDefaultsFinding },
        ]),
      );
      h.clock.t += 5 * 60_000;
      const deps = rollupDeps(h, { ALERT_WEBHOOK_URL: hook.url, ...LIFECYCLE });
      // The sweep retries the row after its backoff (the harness's clock jumps): both events are posted again.
      await deliverDue(deps);
      h.clock.t += 60 * 60_000;
      await deliverDue(deps);
      expect(hook.bodies).toHaveLength(4);
      const keys = hook.headers.map((x) => x["idempotency-key"]);
      expect(keys[2]).toBe(keys[0]);
      expect(keys[3]).toBe(keys[1]);
      expect(hook.bodies[2]).toBe(hook.bodies[0]);
      expect(events(hook.bodies.slice(2)).map((e) => [e.event, e.check.id, e.severity])).toEqual([
        ["opened", "conditional-access", "now"],
        ["opened", "security-defaults", "now"],
      ]);
    } finally {
      await hook.stop();
    }
  });

  it("carries the tenant's text as JSON string values only: never in a header, a key or markup", async () => {
    const h = harness();
    const hook = await startHook();
    const tenantName = "Contoso\r\nX-Injected: 1 <script>alert(1)</script> {{7*7}} ${x}";
    try {
      const hostile = caFinding(`${HOSTILE_POLICY}\n**bold** [link](https://evil.example)`);
      await h.write(alertOf("hostile", [{ kind: "drift-detected", key: "drift-detected|h", finding: hostile }], { tenantName }));
      h.clock.t += 5 * 60_000;
      await deliverDue(rollupDeps(h, { ALERT_WEBHOOK_URL: hook.url, ...LIFECYCLE }));
      const [e] = events(hook.bodies);
      expect(e!.tenant.name).toBe(tenantName);
      expect(e!.subject?.name).toBe(hostile.subjectName);
      expect(hook.headers[0]!["x-injected"]).toBeUndefined();
      expect(Object.values(hook.headers[0]!).join("\n")).not.toMatch(/Contoso|script|evil/);
      expect(e!.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
      expect(e!.findingKey).toMatch(/^[0-9a-f]{64}$/);
      for (const l of e!.links) expect(l.url).not.toContain("evil.example");
      // Control characters stay escaped in the JSON text itself.
      expect(hook.bodies[0]).not.toMatch(/[\r\n]/);
    } finally {
      await hook.stop();
    }
  });
});
