/**
 * host.json and the code must agree: the poison handling reads maxDequeueCount from
 * lib/config/host.ts, the check lease is sized from the timeouts, and messages are encoded
 * for the encoding the trigger decodes. Also: what the host loads (package.json `main`) is exactly
 * the registration files, each registering one function, and every `%SETTING%` they bind to has a
 * default the deployment sets.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHECK_LEASE_MINUTES, MIN_CHECK_LEASE_MINUTES, loadAppSettings } from "../../lib/config/app-settings.js";
import { ALL_SETTING_NAMES, BINDING_SETTINGS } from "../../lib/config/names.js";
import { SettingsError } from "../../lib/config/settings.js";
import {
  alertMessageSchema,
  FUNCTION_TIMEOUT,
  maxCheckInFlightMs,
  QUEUE_HOST_SETTINGS,
  tenantCheckMessageSchema,
  timeSpanMs,
  TRIGGER_METADATA_NAMES,
} from "../../functions/queue/index.js";

const root = join(import.meta.dirname, "..", "..");
const hostJson = JSON.parse(readFileSync(join(root, "host.json"), "utf8")) as Record<string, unknown> & {
  functionTimeout: string;
  extensions: { queues: Record<string, unknown>; http?: Record<string, unknown> };
};

describe("host.json", () => {
  it("sets the queue settings the code assumes", () => {
    expect(hostJson.extensions.queues).toEqual(QUEUE_HOST_SETTINGS);
    expect(hostJson.functionTimeout).toBe(FUNCTION_TIMEOUT);
    expect(hostJson.extensions.http?.routePrefix).toBe("api");
  });

  // No comments of any kind: a `//` comment makes the host ignore the whole file silently
  // (Azure/azure-functions-host#9583), and the host.json schema allows no made-up properties such as
  // `_comment`. The reasoning lives in functions/README.md instead.
  it("has only documented keys and no comments", () => {
    const known = [
      "version",
      "functionTimeout",
      "logging",
      "extensions",
      "extensionBundle",
      "healthMonitor",
      "concurrency",
      "retry",
      "aggregator",
      "watchDirectories",
    ];
    expect(Object.keys(hostJson).filter((k) => !known.includes(k))).toEqual([]);
    expect(JSON.stringify(hostJson)).not.toMatch(/_comment/);
  });

  it("stays within what the trigger and Flex Consumption accept", () => {
    const q = QUEUE_HOST_SETTINGS;
    expect(q.batchSize).toBeGreaterThanOrEqual(1);
    expect(q.batchSize).toBeLessThanOrEqual(32);
    // WebJobs QueuesOptions: at most NewBatchThreshold + BatchSize messages in parallel; no bound between the two.
    expect(q.newBatchThreshold).toBeGreaterThanOrEqual(0);
    expect(q.batchSize + q.newBatchThreshold).toBeLessThanOrEqual(64);
    expect(q.maxDequeueCount).toBeGreaterThanOrEqual(2); // at least one retry before a tenant is recorded unknown
    expect(timeSpanMs(FUNCTION_TIMEOUT)).toBeGreaterThan(0);
    expect(q.messageEncoding).toBe("base64");
  });

  it("the default check lease outlives every retry of a check", () => {
    expect(MIN_CHECK_LEASE_MINUTES * 60_000).toBeGreaterThanOrEqual(maxCheckInFlightMs());
    expect(DEFAULT_CHECK_LEASE_MINUTES).toBeGreaterThanOrEqual(MIN_CHECK_LEASE_MINUTES);
    expect(loadAppSettings({}).checkLeaseMinutes).toBe(DEFAULT_CHECK_LEASE_MINUTES);
    expect(loadAppSettings({ CHECK_LEASE_MINUTES: "120" }).checkLeaseMinutes).toBe(120);
    expect(() => loadAppSettings({ CHECK_LEASE_MINUTES: "5" })).toThrow(SettingsError);
    expect(() => loadAppSettings({ CHECK_LEASE_MINUTES: "soon" })).toThrow(/CHECK_LEASE_MINUTES must be a whole number from 32/);
    expect(ALL_SETTING_NAMES).toContain("CHECK_LEASE_MINUTES");
  });

  it("message fields do not collide with the trigger metadata the JSON payload is merged into", () => {
    const fields = [...Object.keys(tenantCheckMessageSchema.shape), ...Object.keys(alertMessageSchema.shape)];
    expect(fields.filter((f) => (TRIGGER_METADATA_NAMES as readonly string[]).includes(f))).toEqual([]);
  });
});

describe("function registrations", () => {
  const dir = join(root, "functions");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
  const source = (f: string) => readFileSync(join(dir, f), "utf8");

  it("package.json main loads exactly the registration files", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { main: string };
    expect(pkg.main).toBe("dist/functions/*.js");
    // The glob is one level deep: functions/handlers/ is imported, never loaded as an entry point.
    expect(files.sort()).toEqual([
      "api.ts",
      "checkTenant.ts",
      "checkTenantPoison.ts",
      "dashboard.ts",
      "deliverAlerts.ts",
      "deliverAlertsSweep.ts",
      "estateApi.ts",
      "scheduleChecks.ts",
      "sendDigest.ts",
    ]);
  });

  it("each file registers one function named after it; handlers register nothing", () => {
    for (const f of files) {
      const calls = [...source(f).matchAll(/\bapp\.(\w+)\("(\w+)"/g)];
      expect(
        calls.map((c) => c[2]),
        f,
      ).toEqual([f.replace(/\.ts$/, "")]);
    }
    for (const f of readdirSync(join(dir, "handlers"))) {
      expect(readFileSync(join(dir, "handlers", f), "utf8"), f).not.toMatch(/import\s*\{[^}]*\bapp\b[^}]*\}\s*from\s*"@azure\/functions"/);
    }
  });

  it("every %SETTING% a trigger binds to has a default the deployment sets", () => {
    const bound = [...new Set(files.flatMap((f) => [...source(f).matchAll(/"%(\w+)%"/g)].map((m) => m[1] ?? "")))];
    expect(bound.sort()).toEqual(["DIGEST_SCHEDULE", "DRIFT_SCHEDULE"]);
    for (const name of bound) expect(Object.keys(BINDING_SETTINGS)).toContain(name);
  });
});
