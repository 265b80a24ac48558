/** Drift before good news within the quota: a summary holding only resolved changes waits behind a tenant's drift email. */
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../lib/alerts/deliver.js";
import { operationIdFor } from "../../lib/alerts/ids.js";
import { deliveryQueue } from "../../lib/alerts/queue-view.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { fake, harness, rollupDeps, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

describe("the summary and the urgent rows", () => {
  it("sends the drift email before a summary of resolved changes, and the summary at the next free cell", async () => {
    const h = harness();
    const drift = await h.write(alertOf("u0", [SAMPLES["drift-detected"]!.transitions[0]!], { tenantName: "Drifted", recipients: ["it@drifted.example"] }));
    // Its own drift mention went in an earlier summary: only the resolved alert is owed.
    await h.outbox.rollups.markCovered({ partition: drift.tenantId, id: drift.ids[0]! }, "done:rearlier");
    await h.write(alertOf("u1", [SAMPLES.resolved!.transitions[0]!], { tenantName: "Fixed", recipients: [] }));
    h.clock.t += 2 * 60_000;
    const deps = rollupDeps(h, { ALERT_TO: "noc@msp.example" });
    // `alerts list` and the status API say the same: the drift email first, the summary a cell later.
    const settings = loadAlertSettings({ ACS_CONNECTION_STRING: fake.connectionString, ALERT_FROM: "DoNotReply@x.azurecomm.net", ALERT_TO: "noc@msp.example" });
    const q = await deliveryQueue(h.outbox, settings, deps.budgets!.acs, new Date(h.clock.t));
    const driftAt = Date.parse(q.alerts.find((a) => a.id === drift.ids[0])!.expectedAt);
    expect(Date.parse(q.rollup.expectedAt!)).toBe(driftAt + q.quota!.oneEveryMs);
    const before = fake.accepted.length;
    const first = await deliverDue(deps);
    const sent = fake.accepted.slice(before).map((a) => a.operationId);
    expect(sent[0]).toBe(operationIdFor(drift.ids[0]!));
    expect(first.rollup).toMatchObject({ status: "waiting" });
    h.clock.t += 7 * 60_000;
    const second = await deliverDue(deps);
    expect(second.rollup).toMatchObject({ status: "sent", alerts: 1 });
    expect(fake.accepted.length - before).toBe(2);
  });
});
