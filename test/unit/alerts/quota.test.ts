/** The email quota settings and the pace each limit is kept at. */
import { describe, expect, it } from "vitest";
import { loadAlertSettings } from "../../../lib/config/alert-settings.js";
import { emailLimits, webhookLimits } from "../../../lib/alerts/quota.js";
import { effectiveWindowMs, gcraParams } from "../../../lib/budget/gcra.js";

const ACS = "endpoint=https://x.communication.azure.com/;accesskey=" + Buffer.alloc(32).toString("base64");

describe("ALERT_EMAILS_PER_MINUTE / _PER_HOUR", () => {
  it.each([
    [
      "an Azure-managed sender domain",
      "DoNotReply@0b1c2d3e-aaaa-bbbb-cccc-000000000000.azurecomm.net",
      {},
      { perMinute: 5, perHour: 10, source: "managed-domain" },
    ],
    ["a custom sender domain", "alerts@msp.example", {}, { perMinute: 30, perHour: 100, source: "custom-domain" }],
    [
      "raised limits",
      "alerts@msp.example",
      { ALERT_EMAILS_PER_MINUTE: "300", ALERT_EMAILS_PER_HOUR: "6000" },
      { perMinute: 300, perHour: 6000, source: "settings" },
    ],
    ["one figure set", "DoNotReply@x.azurecomm.net", { ALERT_EMAILS_PER_HOUR: "8" }, { perMinute: 5, perHour: 8, source: "settings" }],
  ])("%s", (_, from, env, expected) => {
    expect(loadAlertSettings({ ACS_CONNECTION_STRING: ACS, ALERT_FROM: from, ...env }).emailQuota).toEqual(expected);
  });

  it.each([
    [{ ALERT_EMAILS_PER_MINUTE: "0" }, /ALERT_EMAILS_PER_MINUTE must be a whole number/],
    [{ ALERT_EMAILS_PER_HOUR: "ten" }, /ALERT_EMAILS_PER_HOUR must be a whole number/],
    [{ ALERT_EMAILS_PER_HOUR: "1.5" }, /ALERT_EMAILS_PER_HOUR must be a whole number/],
    [{ ALERT_EMAILS_PER_MINUTE: "50", ALERT_EMAILS_PER_HOUR: "20" }, /cannot be more than ALERT_EMAILS_PER_HOUR/],
  ])("refuses %j", (env, message) => {
    expect(() => loadAlertSettings({ ACS_CONNECTION_STRING: ACS, ALERT_FROM: "alerts@msp.example", ...env })).toThrow(message);
  });
});

describe("the pace of each limit", () => {
  it.each([
    ["managed, per minute", emailLimits("acs", { perMinute: 5, perHour: 10, source: "managed-domain" })[0]!, 5, 60_000],
    ["managed, per hour", emailLimits("acs", { perMinute: 5, perHour: 10, source: "managed-domain" })[1]!, 10, 3_600_000],
    ["custom, per hour", emailLimits("acs", { perMinute: 30, perHour: 100, source: "custom-domain" })[1]!, 100, 3_600_000],
    ["one an hour", emailLimits("acs", { perMinute: 1, perHour: 1, source: "settings" })[1]!, 1, 3_600_000],
    ["slack", webhookLimits("slack")[0]!, 60, 60_000],
    ["teams, per hour", webhookLimits("teams")[1]!, 100, 3_600_000],
  ])("%s: never more than the limit in any window, even widened by the margins", (_, l, limit, windowMs) => {
    const p = gcraParams(l.spec);
    // GCRA bound (lib/budget/gcra.ts): slots at least T apart, so at most ⌊X/T⌋ + 1 in any X.
    expect(Math.floor(effectiveWindowMs({ ...l.spec, windowMs }) / p.intervalMs) + 1).toBeLessThanOrEqual(limit);
  });
});
