/**
 * A version of Drift Monitor that renamed one check and removed another meets the state an older
 * version left (stored findings and report rows under check ids this version does not have). The
 * real collector, rules, drift and store (Azurite) run over it: no quarantine, no "monitoring
 * degraded", each old open finding the recipients were told about is closed once with the reason,
 * and the next run sends nothing more.
 */
import { TableClient } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import type { TenantState, TrackedFinding } from "../../lib/model/state.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import { CORRUPT_STATE_PREFIX, type Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import { registered, registeredIn, runnerDeps, useSimulatorAndStore, type TestClock } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Retired", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

/** The id an older version gave the check now called `security-defaults`. */
const RENAMED_FROM = "security-defaults-enabled";
/** A check an older version had and this one does not. */
const REMOVED = "legacy-mfa-state";
const REASON = "check retired in this version";

async function run(): Promise<RunOutcome> {
  return runTenantCheck(await registeredIn(store, "Woodgrove"), runnerDeps(sim, store, clock));
}

/** The stored state as the older version wrote it: the renamed check under its old id, and the removed check's findings. */
function asOlderVersionLeftIt(state: TenantState): TenantState {
  const renamed = (f: TrackedFinding): TrackedFinding =>
    f.checkId === "security-defaults" ? { ...f, checkId: RENAMED_FROM, key: `${RENAMED_FROM}|${f.subject}` } : f;
  const sd = state.findings.find((f) => f.checkId === "security-defaults");
  if (!sd) throw new Error("the first run found no Security Defaults drift");
  const removedOpen: TrackedFinding = { ...sd, key: `${REMOVED}|`, checkId: REMOVED, summary: "Per-user MFA state is enforced (old rule)" };
  // Resolved, and the recipients were told so: kept only for the flapping rule, nothing is owed about it.
  const removedResolved: TrackedFinding = {
    ...removedOpen,
    key: `${REMOVED}|old-subject`,
    subject: "old-subject",
    status: "resolved",
    lastHeard: "resolved",
    resolvedAt: sd.since,
  };
  return {
    ...state,
    lastReport: {
      ...state.lastReport,
      checks: [
        ...state.lastReport.checks.map((c) => (c.id === "security-defaults" ? { ...c, id: RENAMED_FROM } : c)),
        { id: REMOVED, status: "fail", summary: removedOpen.summary },
      ],
    },
    findings: [...state.findings.map(renamed), removedOpen, removedResolved],
  };
}

describe("runTenantCheck over state left by a version with other checks", () => {
  it("closes each old open finding once (check-retired), quarantines nothing, raises no degraded, and then stays quiet", async () => {
    const tenantId = registered("Woodgrove").tenantId;
    sim.state.tenant(tenantId).identitySecurityDefaultsEnforcementPolicy.isEnabled = true;
    const first = await run();
    expect(first.transitions.map((t) => t.kind)).toEqual(["drift-detected"]);

    const stored = await store.monitor.readState(tenantId);
    if (!stored) throw new Error("no state after the first run");
    await store.monitor.commitRun({ partition: tenantId, expectedEtag: stored.etag, state: asOlderVersionLeftIt(stored.state), alerts: [] });
    // The rows parse as they are: a check id this version does not know is just a string.
    expect((await store.monitor.readState(tenantId))?.state.findings.map((f) => f.key).sort()).toEqual(
      [`${REMOVED}|`, `${REMOVED}|old-subject`, `${RENAMED_FROM}|`].sort(),
    );

    clock.advanceHours(1);
    const upgraded = await run();
    const retired = upgraded.transitions.filter((t) => t.kind === "check-retired");
    expect(retired).toEqual([
      { kind: "check-retired", key: `check-retired|${REMOVED}|`, finding: expect.objectContaining({ key: `${REMOVED}|`, checkId: REMOVED }), reason: REASON },
      {
        kind: "check-retired",
        key: `check-retired|${RENAMED_FROM}|`,
        finding: expect.objectContaining({ key: `${RENAMED_FROM}|`, checkId: RENAMED_FROM }),
        reason: REASON,
      },
    ]);
    expect(upgraded.transitions.map((t) => t.kind)).not.toContain("monitoring-degraded");
    expect(upgraded.transitions.map((t) => t.kind)).not.toContain("resolved");
    // The renamed check's own finding under its new id: the check still fails, as a new finding.
    expect(upgraded.transitions.filter((t) => t.kind === "drift-detected").map((t) => ("finding" in t ? t.finding.key : ""))).toEqual(["security-defaults|"]);
    expect(upgraded.report.status).toBe("drifted");
    const state = (await store.monitor.readState(tenantId))?.state;
    expect(state?.findings.map((f) => f.checkId)).toEqual(["security-defaults"]);
    expect(state?.consecutiveUnknown).toBe(0);
    expect(state?.degradedAlertedAt).toBeNull();
    // The email that says so is in the outbox.
    const alert = upgraded.alerts[0] && (await store.monitor.getAlert(tenantId, upgraded.alerts[0].id));
    expect(alert?.alert.transitions.filter((t) => t.kind === "check-retired").map((t) => t.key)).toEqual(retired.map((t) => t.key));

    clock.advanceHours(1);
    const after = await run();
    expect(after.transitions).toEqual([]);
    expect(after.alerts[0]).toBeUndefined();

    // Nothing was moved aside at any point.
    const table = TableClient.fromConnectionString(process.env.AzureWebJobsStorage ?? "", store.monitor["table"].name, { allowInsecureConnection: true });
    const keys: string[] = [];
    for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) keys.push(String(row.rowKey));
    expect(keys.filter((k) => k.startsWith(CORRUPT_STATE_PREFIX))).toEqual([]);
  });
});
