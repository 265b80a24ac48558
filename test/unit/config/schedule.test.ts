/** DRIFT_SCHEDULE's period: the longest gap between firings, read the way the Functions host reads NCRONTAB (seconds first). */
import { describe, expect, it } from "vitest";
import { schedulePeriodMs } from "../../../lib/config/schedule.js";
import { loadStoreSettings, SettingsError } from "../../../lib/config/settings.js";

const MIN = 60_000;

describe("schedulePeriodMs", () => {
  it.each([
    { expression: "0 */30 * * * *", period: 30 * MIN },
    { expression: "0 */5 * * * *", period: 5 * MIN },
    { expression: "0 0 * * * *", period: 60 * MIN },
    { expression: "0 0 8 * * *", period: 24 * 60 * MIN },
    { expression: "0 0 8 * * 1-5", period: 72 * 60 * MIN }, // weekdays: Friday to Monday is the longest gap
  ])("$expression → $period ms", ({ expression, period }) => {
    expect(schedulePeriodMs(expression)).toBe(period);
  });

  it.each(["every 5 minutes", "*/30 * * * *", "0 61 * * * *", "0 0 25 * * *"])("refuses %s", (expression) => {
    expect(() => schedulePeriodMs(expression)).toThrow();
  });

  it("is part of the store settings, with a message that says what to fix", () => {
    const base = { AzureWebJobsStorage: "UseDevelopmentStorage=true" };
    expect(loadStoreSettings(base).schedulePeriodMs).toBe(30 * MIN);
    expect(() => loadStoreSettings({ ...base, DRIFT_SCHEDULE: "*/30 * * * *" })).toThrow(SettingsError);
    expect(() => loadStoreSettings({ ...base, DRIFT_SCHEDULE: "*/30 * * * *" })).toThrow(/DRIFT_SCHEDULE: .*six fields.*e\.g\. "0 \*\/30 \* \* \* \*"/);
  });
});
