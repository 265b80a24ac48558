/**
 * Every numeric setting has a documented range: out of range, not a whole number, "1e20", "NaN",
 * "Infinity" → SettingsError naming the setting and its range. In range (both ends) → the number.
 */
import { describe, expect, it } from "vitest";
import { loadSettings, loadStoreSettings, SettingsError } from "../../../lib/config/settings.js";
import { loadAlertSettings } from "../../../lib/config/alert-settings.js";
import { loadAppSettings, MIN_CHECK_LEASE_MINUTES } from "../../../lib/config/app-settings.js";

type Loader = (env: Record<string, string>) => unknown;
const graph: Loader = (env) => loadSettings({ GRAPH_ACCESS_TOKEN: "t", ...env });

const NUMERIC: readonly { name: string; min: number; max: number; load: Loader }[] = [
  { name: "SIGNIN_LOOKBACK_HOURS", min: 1, max: 720, load: graph },
  { name: "REGISTRATION_REPORT_HOURS", min: 1, max: 168, load: graph },
  { name: "PASSWORD_EXPIRY_WARN_DAYS", min: 0, max: 365, load: graph },
  { name: "MANAGED_POLICY_WARN_DAYS", min: 0, max: 365, load: graph },
  { name: "ROLE_END_WARN_DAYS", min: 0, max: 365, load: graph },
  { name: "REMINDER_HOURS", min: 1, max: 720, load: loadStoreSettings },
  { name: "UNKNOWN_ALERT_AFTER", min: 1, max: 100, load: loadStoreSettings },
  { name: "SNAPSHOT_RETENTION_DAYS", min: 1, max: 3650, load: loadStoreSettings },
  { name: "ALERT_MAX_ATTEMPTS", min: 1, max: 100, load: loadAlertSettings },
  { name: "CHECK_LEASE_MINUTES", min: MIN_CHECK_LEASE_MINUTES, max: 10080, load: loadAppSettings },
];

const bad = (min: number, max: number): string[] => [
  String(min - 1),
  String(max + 1),
  `${min}.5`,
  "1e20",
  "1e1",
  "NaN",
  "Infinity",
  "-Infinity",
  "-5",
  "12abc",
  "0x10",
];

describe("numeric settings", () => {
  const cases = NUMERIC.flatMap((s) => bad(s.min, s.max).map((value) => [s.name, value, s] as const));
  it.each(cases)("%s=%s is refused, naming the setting and its range", (name, value, s) => {
    let thrown: unknown;
    try {
      s.load({ [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    expect((thrown as SettingsError).problems.join("\n")).toContain(`${name} must be a whole number from ${s.min} to ${s.max}, got "${value}"`);
  });

  it.each(NUMERIC.flatMap((s) => [s.min, s.max].map((value) => [s.name, value, s] as const)))("%s=%i is accepted", (name, value, s) => {
    expect(() => s.load({ [name]: String(value) })).not.toThrow();
  });
});
