/**
 * The demo: Azurite (in memory) and the Graph simulator with its sample estate, and the Functions
 * app's real handlers run in this process — the tenants API registers the estate; the timer
 * (scheduleChecks) fans out to the tenant-checks queue; checkTenant runs each message through the
 * runner (one Table transaction per tenant: state, snapshot, outbox row) and queues its alert;
 * deliverAlerts writes each email as an .eml file in the local outbox. Then a few tenants are
 * changed in the simulator as an administrator would, everything runs again, and the demo prints
 * what happened. It exits 0 when every tenant did what its scenario says.
 */
import { monitorPartition } from "../../lib/model/account.js";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startSimulator, type RunningSimulator } from "../../sim/server.js";
import { SAMPLE_TENANTS, type SampleTenant } from "../../sim/estate/index.js";
import { startAzurite } from "./azurite.js";
import { createApp, setApp, type App } from "../../functions/app/app.js";
import type { CheckMessageResult } from "../../functions/app/check.js";
import { api, apiRequest, checkTenant, deliverAlerts, scheduleChecks } from "../../functions/handlers/index.js";
import { queueServiceClient } from "../../functions/queue/client.js";
import { QUEUE_HOST_SETTINGS } from "../../lib/config/host.js";
import { DEFAULT_QUEUE_NAMES } from "../../functions/queue/names.js";
import { DEFAULT_OUTBOX_DIR } from "../../lib/config/alert-settings.js";
import { emlFileName } from "../../lib/alerts/channels/index.js";
import { deliverDue, type RowOutcome } from "../../lib/alerts/deliver.js";
import { rollupText } from "../../lib/alerts/rollup/text.js";
import { renderTable } from "../table.js";
import { demoChanges } from "./changes.js";
import { DemoHost } from "./host.js";
import { readEmlHeaders } from "./eml.js";
import { Resources, withCleanup } from "./lifecycle.js";
import { DEMO_ALERT_TO, expectations, printEmails, printTransitions, roundLine, transitionKinds, type Email, type Round, type TenantRun } from "./rounds.js";
import type { DemoTls } from "./trusted-child.js";
import type { CliIo } from "../io.js";
import { dashboardDeps } from "../../functions/dashboard/deps.js";
import { startDashboardServer } from "../dashboard/server.js";
import { keepDraining } from "./keep-workers.js";

interface DemoOptions {
  readonly verbose?: boolean;
  /** Leave Azurite, the simulator and the dashboard running until Ctrl-C. */
  readonly keep?: boolean;
}

/** The demo's own app registration: the simulator accepts any client id and secret. */
const DEMO_CLIENT_ID = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";

const domainOf = (upn: string) => upn.slice(upn.lastIndexOf("@") + 1);

/** PUT /api/tenants/{id} for each tenant, through the `api` function's handler. */
async function register(host: DemoHost, tenants: readonly SampleTenant[]): Promise<string[]> {
  const problems: string[] = [];
  for (const t of tenants) {
    // Every monitored account of the sample (Woodgrove Bank has two connection and two emergency-access accounts).
    const accounts = t.monitoredAccounts.map((a) => ({ ref: a.ref, kind: a.kind }));
    const body = { displayName: t.displayName, accounts, recipients: [`it-admins@${domainOf(t.account)}`] };
    const response = await api(apiRequest("PUT", t.tenantId, { body }), host.context("api"));
    if (response.status !== 200 && response.status !== 201)
      problems.push(`${t.displayName}: PUT /api/tenants/${t.tenantId} answered ${response.status}: ${JSON.stringify(response.jsonBody)}`);
  }
  return problems;
}

async function round(app: App, host: DemoHost, outboxDir: string): Promise<Round> {
  const started = Date.now();
  const schedule = await host.timer("scheduleChecks", scheduleChecks, app.now());
  const checks = await host.drain(DEFAULT_QUEUE_NAMES.tenantChecks, "checkTenant", checkTenant);
  const failures: string[] = [];
  const tenants = new Map<string, TenantRun>();
  for (const c of checks) {
    const r: CheckMessageResult | undefined = c.result;
    if (!r) {
      failures.push(`checkTenant failed: ${c.error ?? "a message was dropped"}`);
      continue;
    }
    const tenant = SAMPLE_TENANTS.find((t) => t.tenantId === r.tenantId);
    if (!tenant) continue;
    if (r.kind === "skipped") {
      failures.push(`${tenant.displayName}: skipped: ${r.why}`);
      continue;
    }
    const alerts = [];
    for (const q of r.alerts) {
      const row = await app.store.monitor.getAlert(monitorPartition(r.tenantId, q.accountKey), q.id);
      if (row) alerts.push(row.alert);
    }
    // The scenario is about the tenant's first account (its partition is the tenant id).
    const firstStatus = (await app.store.monitor.readState(r.tenantId))?.state.lastReport.status;
    const status = r.kind === "checked" ? (firstStatus ?? r.status) : r.kind === "late" ? `late (${r.reason})` : `unknown (${r.reason})`;
    tenants.set(r.tenantId, { tenant, status, alerts });
  }
  const deliveries = await host.drain(DEFAULT_QUEUE_NAMES.alerts, "deliverAlerts", deliverAlerts);
  const emails: Email[] = [];
  for (const d of deliveries) {
    const o: RowOutcome | undefined = d.result;
    if (!o || o.status !== "sent") {
      failures.push(
        `deliverAlerts: ${o ? `alert ${o.id} of ${o.tenantId}: ${o.status}${"error" in o ? `: ${o.error}` : ""}` : (d.error ?? "a message was dropped")}`,
      );
      continue;
    }
    const file = resolve(outboxDir, emlFileName(o.id));
    const headers = await readEmlHeaders(file);
    emails.push({ tenant: tenants.get(o.tenantId)?.tenant.displayName ?? o.tenantId, file, subject: headers.subject, to: headers.to });
  }
  emails.sort((a, b) => a.tenant.localeCompare(b.tenant));
  const summary = await globalSummary(app, failures, outboxDir);
  return { queued: schedule.enqueued.length, tenants, emails, summary, failures, seconds: (Date.now() - started) / 1000 };
}

/**
 * The run is over, so its summary for the global list need not wait for more alerts: what the
 * delivery sweep does, told the run has settled (as `drift-monitor run --deliver` does).
 */
async function globalSummary(app: App, failures: string[], outboxDir: string): Promise<Email | undefined> {
  const { rollup } = await deliverDue(app.deliveryDeps(undefined, { settled: true }));
  if (!rollup || rollup.status === "idle") return undefined;
  if (rollup.status !== "sent") {
    failures.push(`the global summary: ${rollupText(rollup)}`);
    return undefined;
  }
  const file = resolve(outboxDir, emlFileName(rollup.id));
  const headers = await readEmlHeaders(file);
  return { tenant: `summary of ${rollup.alerts} alert(s)`, file, subject: headers.subject, to: headers.to };
}

async function demo(tls: DemoTls, io: CliIo, options: DemoOptions, resources: Resources): Promise<number> {
  const t0 = Date.now();
  const outboxDir = resolve(io.env.OUTBOX_DIR?.trim() || DEFAULT_OUTBOX_DIR);
  io.stdout("Drift Monitor demo: the Functions app's handlers, in this process, against local stand-ins\n\n");

  const azurite = await startAzurite();
  resources.add("Azurite", azurite.stop);
  io.stdout(`  Azurite (in memory, pid ${azurite.pid ?? "?"}): tables ${azurite.tableUrl}, queues ${azurite.queueUrl}\n`);
  const sim: RunningSimulator = await startSimulator({ tls: { cert: readFileSync(tls.certFile, "utf8"), key: readFileSync(tls.keyFile, "utf8") } });
  resources.add("the Graph simulator", sim.stop);
  io.stdout(`  Graph simulator: ${sim.url}, ${SAMPLE_TENANTS.length} sample tenants\n`);
  io.stdout(`  Local outbox (OUTBOX_DIR): ${outboxDir}\n\n`);

  // Only what the demo sets: never the caller's ACS or webhook settings, so nothing leaves the machine.
  const env: Record<string, string> = {
    AzureWebJobsStorage: azurite.connectionString,
    GRAPH_ENDPOINT: sim.url,
    AZURE_CLIENT_ID: DEMO_CLIENT_ID,
    AZURE_CLIENT_SECRET: "demo-only",
    AZURE_AUTHORITY_HOST: sim.url,
    OUTBOX_DIR: outboxDir,
    ALERT_TO: DEMO_ALERT_TO,
  };
  const app = createApp({ env });
  setApp(app);
  resources.add("the app", async () => setApp(undefined));
  const host = new DemoHost(queueServiceClient(app.storeSettings.storage), {
    maxDequeueCount: QUEUE_HOST_SETTINGS.maxDequeueCount,
    concurrency: QUEUE_HOST_SETTINGS.batchSize,
    ...(options.verbose ? { onLog: (l) => io.stderr(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s [${l.functionName}] ${l.text}\n`) } : {}),
  });

  const problems = await register(host, SAMPLE_TENANTS);
  if (problems.length > 0) {
    io.stderr(`Registering the sample estate failed:\n${problems.join("\n")}\n`);
    return 1;
  }
  io.stdout(
    `Registered ${SAMPLE_TENANTS.length} tenants through the tenants API (PUT /api/tenants/{id}): each tenant's alerts to it-admins@<its domain>, ` +
      `one summary a run to ${DEMO_ALERT_TO}\n\n`,
  );

  const first = await round(app, host, outboxDir);
  io.stdout(roundLine(1, first));
  printTransitions(io, 1, first);

  const accountOf = (id: string) => SAMPLE_TENANTS.find((t) => t.tenantId === id)?.account ?? "";
  const changes = demoChanges(accountOf).map((c) => ({ ...c, target: SAMPLE_TENANTS.find((t) => t.displayName.includes(c.tenant)) }));
  io.stdout("\nMeanwhile, administrators change three tenants:\n");
  const changed = new Map<string, "compliant" | "drifted">();
  for (const c of changes) {
    if (!c.target) throw new Error(`the demo changes a tenant named like "${c.tenant}", which the sample estate lacks`);
    c.apply(sim.state, c.target.tenantId);
    changed.set(c.target.tenantId, c.target.expected === "drifted" ? "compliant" : "drifted");
    io.stdout(`  ${c.target.displayName}: ${c.description}\n`);
  }
  io.stdout("\n");

  const second = await round(app, host, outboxDir);
  io.stdout(roundLine(2, second));
  printTransitions(io, 2, second);

  io.stdout("\nTenants:\n");
  const rows = [...SAMPLE_TENANTS]
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((t) => {
      const b = second.tenants.get(t.tenantId);
      const kinds = transitionKinds(b)
        .map((k) => k.replace("-", " "))
        .join(", ");
      return [t.displayName, first.tenants.get(t.tenantId)?.status ?? "-", b?.status ?? "-", kinds || "-"];
    });
  io.stdout(renderTable(["TENANT", "RUN 1", "RUN 2", "RUN 2 TRANSITIONS"], rows));

  io.stdout(`\nEmails written to ${outboxDir}:\n run 1:\n`);
  printEmails(io, first);
  io.stdout(" run 2:\n");
  printEmails(io, second);

  const drifted = SAMPLE_TENANTS.filter((t) => second.tenants.get(t.tenantId)?.status === "drifted")
    .map((t) => t.displayName)
    .sort((a, b) => a.localeCompare(b));
  io.stdout(`\nDrifted now: ${drifted.join(", ")}\n`);
  const wrong = expectations(first, second, changed);
  if (wrong.length > 0) {
    io.stderr(`\nThe demo did not go as expected:\n${wrong.map((w) => `  - ${w}`).join("\n")}\n`);
    if (!options.verbose) io.stderr("Run `npm run demo -- --verbose` to see every handler's log.\n");
    return 1;
  }
  io.stdout(`Every tenant did what its scenario says. Open the .eml files with any mail client.\n`);
  if (options.keep) await keepRunning(app, host, io, resources, sim.url, azurite.tableUrl);
  return 0;
}

/** --keep: the dashboard over the demo's storage, with its queues drained (check now works), until Ctrl-C (withCleanup stops everything then). */
async function keepRunning(app: App, host: DemoHost, io: CliIo, resources: Resources, simUrl: string, tableUrl: string): Promise<never> {
  keepDraining(host, resources, io.stderr);
  const deps = dashboardDeps(app, { access: { kind: "local" }, log: (m) => io.stderr(`${m}\n`) });
  const server = await startDashboardServer(deps, { onError: (m) => io.stderr(`${m}\n`) });
  resources.add("the dashboard", server.stop);
  io.stdout(`\nKept running (Ctrl-C stops everything):\n  Dashboard: ${server.url}\n  Graph simulator: ${simUrl}\n  Azurite tables: ${tableUrl}\n`);
  return new Promise<never>(() => {});
}

export async function runDemo(tls: DemoTls, io: CliIo, options: DemoOptions = {}): Promise<number> {
  const resources = new Resources();
  return withCleanup(resources, () => demo(tls, io, options, resources), io.stderr);
}
