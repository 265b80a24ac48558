/**
 * The fix flow's shell (lib/remediation/flow.ts), from the app: the fix requests in the Monitor
 * table, the remediation app's own executor (never the monitoring app's credential), the clock,
 * random ids, and the re-check: the tenant's check run at once through the same path a queued
 * check takes (processCheckMessage: its lease, the runner, the record, the alert), so a fix's
 * re-check is an ordinary recorded run. The dashboard and the CLI both use this.
 */
import { fourEyesFor } from "../../lib/remediation/four-eyes.js";
import { randomBytes } from "node:crypto";
import { loadRemediationSettings, type RemediationSettings } from "../../lib/config/remediation.js";
import { SettingsError } from "../../lib/config/settings.js";
import { monitorPartition } from "../../lib/model/account.js";
import type { Recheck } from "../../lib/model/remediation.js";
import { errorMessage } from "../../lib/errors/text.js";
import { remediationExecutor } from "../../lib/remediation/client.js";
import { consentProbe, type ConsentProbe } from "../../lib/remediation/consent.js";
import type { FlowDeps } from "../../lib/remediation/flow.js";
import { processCheckMessage } from "./check.js";

export interface RemediationShell {
  readonly flow: FlowDeps;
  readonly consent: ConsentProbe;
  readonly settings: RemediationSettings;
}

type ShellApp = Parameters<typeof processCheckMessage>[0];

/** Runs the tenant's check now and reads how the finding fared in the account's state. */
async function recheck(app: ShellApp, tenantId: string, accountKey: string, findingKey: string): Promise<Recheck> {
  const at = app.now().toISOString();
  try {
    // One attempt: a check that throws is recorded as an unknown run with its reason, as a queued check's last attempt is.
    // A lease id of its own: the run is new even when a check was recorded at this very instant.
    const message = { tenantId, enqueuedAt: at, reason: "manual" as const, leaseId: `recheck-${randomBytes(8).toString("hex")}` };
    const r = await processCheckMessage(app, message, { dequeueCount: 1, maxDequeueCount: 1 });
    if (r.kind === "skipped") return { at, outcome: "skipped", detail: `The tenant was not checked again: ${r.why}. Its next check shows the result.` };
    const stored = await app.store.monitor.readState(monitorPartition(tenantId, accountKey));
    const tracked = stored?.state.findings.find((f) => f.key === findingKey);
    const finding = tracked === undefined ? "absent" : tracked.status === "resolved" ? "resolved" : "open";
    const tenantStatus = stored?.state.lastReport.status ?? (r.kind === "checked" ? r.status : "unknown");
    const detail = r.kind === "checked" ? "The tenant was checked again." : `The check could not complete: ${r.reason}.`;
    return { at, outcome: r.kind === "checked" ? "checked" : "failed", tenantStatus, finding, detail };
  } catch (error) {
    return { at, outcome: "failed", detail: `The re-check failed: ${errorMessage(error)}. The fix itself is recorded; check the tenant again.` };
  }
}

export function remediationShell(app: ShellApp, settings: RemediationSettings, options: { consent?: ConsentProbe } = {}): RemediationShell {
  return {
    settings,
    consent: options.consent ?? consentProbe(settings),
    flow: {
      fixes: app.store.remediations,
      executor: (tenantId) => remediationExecutor(tenantId, settings),
      recheck: (tenantId, accountKey, findingKey) => recheck(app, tenantId, accountKey, findingKey),
      requireApproval: async (tenantId) => fourEyesFor(await app.store.tenants.get(tenantId), settings.requireApproval),
      approvalTtlMs: settings.approvalTtlMs,
      now: app.now,
      newId: () => randomBytes(8).toString("hex"),
    },
  };
}

/**
 * The remediation app's settings for the dashboard, or undefined (fixes off). Half-configured
 * settings turn fixes off and say why in the log, rather than failing every page of the dashboard.
 */
export function remediationSettingsOrOff(
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
  log: (m: string) => void,
): RemediationSettings | undefined {
  try {
    return loadRemediationSettings(env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    log(`fixes are off: ${error.message}`);
    return undefined;
  }
}
