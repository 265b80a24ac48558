/** What `alerts list` and the status API expect: a row whose only audience is the global list waits for the summary, not for a quota cell. */
import { describe, expect, it } from "vitest";
import { deliveryQueue } from "../../lib/alerts/queue-view.js";
import { emailLimits } from "../../lib/alerts/quota.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { alertOf, SAMPLES } from "../unit/alerts/samples.js";
import { fake, harness, START, useAcsFake } from "./alerts-delivery-helpers.js";

useAcsFake();

const drift = SAMPLES["drift-detected"]!.transitions[0]!;

describe("the delivery queue's expected times", () => {
  it("gives rows with no own recipients the summary's time and paces only the rows that send an email", async () => {
    const h = harness();
    const settings = loadAlertSettings({
      ACS_CONNECTION_STRING: fake.connectionString,
      ALERT_FROM: "DoNotReply@0b1c2d3e-aaaa-bbbb-cccc-000000000000.azurecomm.net",
      ALERT_TO: "noc@msp.example",
    });
    const globalOnly = [];
    for (let i = 0; i < 4; i++) globalOnly.push(await h.write(alertOf(`g${i}`, [drift], { tenantName: `Global only ${i}`, recipients: [] })));
    // An address already on ALERT_TO is no own recipient either: it gets the summary only.
    globalOnly.push(await h.write(alertOf("gn", [drift], { tenantName: "NOC listed", recipients: ["NOC@msp.example"] })));
    const own = await h.write(alertOf("o0", [drift], { tenantName: "Own list", recipients: ["it@own.example"] }));
    const now = new Date(START + 120_000);
    const q = await deliveryQueue(h.outbox, settings, h.outbox.sendBudget(emailLimits("acs", settings.emailQuota)), now);
    expect(q.rollup.owed).toBe(6);
    const gap = q.quota!.oneEveryMs;
    expect(gap).toBeGreaterThan(60_000);
    const at = (tenantId: string) => Date.parse(q.alerts.find((a) => a.tenantId === tenantId)!.expectedAt);
    for (const g of globalOnly) expect(at(g.tenantId)).toBe(Date.parse(q.rollup.expectedAt!));
    // One cell for the summary, then the one tenant email: not five slots behind rows that send nothing.
    expect(at(own.tenantId)).toBe(Date.parse(q.rollup.expectedAt!) + gap);
  });
});
