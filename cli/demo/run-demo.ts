/**
 * The demo: Azurite (in memory) and the Graph simulator with its sample estate, and the Functions
 * app's real handlers run in this process — the tenants API registers the estate; the timer
 * (scheduleChecks) fans out to the tenant-checks queue; checkTenant runs each message through the
 * runner (one Table transaction per tenant: state, snapshot, outbox row) and queues its alert;
 * deliverAlerts writes each email as an .eml file in the local outbox. Then a few tenants are
 * changed in the simulator as an administrator would, everything runs again, and the demo prints
 * what happened. It exits 0 when every tenant did what its scenario says.
 */
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
import type { RowOutcome } from "../../lib/alerts/deliver.js";
import type { OutboxAlert } from "../../lib/model/state.js";
import { renderTable } from "../table.js";
import { demoChanges } from "./changes.js";
import { DemoHost } from "./host.js";
import { readEmlHeaders } from "./eml.js";
import { Resources, withCleanup } from "./lifecycle.js";
import { transitionLine } from "./describe.js";
import type { DemoTls } from "./trusted-child.js";
import type { CliIo } from "../io.js";

interface DemoOptions {
  readonly verbose?: boolean;
}

/** The demo's own app registration: the simulator accepts any client id and secret. */
const DEMO_CLIENT_ID = "5f1c7a52-3d0e-4d8a-9e3c-6a2b5d7f0c11";
const DEMO_ALERT_TO = "noc@msp.example";

interface TenantRun {
  readonly tenant: SampleTenant;
  readonly status: string;
  readonly alert: OutboxAlert | undefined;
}

interface Email {
  readonly tenant: string;
  readonly file: string;
  readonly subject: string;
  readonly to: string;
}

interface Round {
  readonly queued: number;
  readonly tenants: Map<string, TenantRun>;
  readonly emails: Email[];
  readonly failures: string[];
  readonly seconds: number;
}

const domainOf = (upn: string) => upn.slice(upn.lastIndexOf("@") + 1);

/** PUT /api/tenants/{id} for each tenant, through the `api` function's handler. */
async function register(host: DemoHost, tenants: readonly SampleTenant[]): Promise<string[]> {
  const problems: string[] = [];
  for (const t of tenants) {
    const body = { displayName: t.displayName, account: t.account, recipients: [`it-admins@${domainOf(t.account)}`] };
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
    const alert = r.alertId ? (await app.store.monitor.getAlert(r.tenantId, r.alertId))?.alert : undefined;
    tenants.set(r.tenantId, { tenant, status: r.kind === "checked" ? r.status : r.kind === "late" ? `late (${r.reason})` : `unknown (${r.reason})`, alert });
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
  return { queued: schedule.enqueued.length, tenants, emails, failures, seconds: (Date.now() - started) / 1000 };
}

function roundLine(n: number, r: Round): string {
  const alerts = [...r.tenants.values()].filter((t) => t.alert).length;
  return (
    `Run ${n}: scheduleChecks queued ${r.queued} check(s) → checkTenant ×${r.tenants.size} → ${alerts} alert(s) queued → deliverAlerts ` +
    `→ ${r.emails.length} email(s) (${r.seconds.toFixed(1)} s)\n`
  );
}

function transitionsOf(run: TenantRun | undefined): string[] {
  return run?.alert?.transitions.map(transitionLine) ?? [];
}

function printTransitions(io: CliIo, n: number, r: Round): void {
  const lines = [...r.tenants.values()]
    .filter((t) => t.alert)
    .sort((a, b) => a.tenant.displayName.localeCompare(b.tenant.displayName))
    .flatMap((t) => transitionsOf(t).map((line) => `  ${t.tenant.displayName}: ${line}`));
  io.stdout(`\nTransitions in run ${n}:\n${lines.length > 0 ? lines.join("\n") : "  none"}\n`);
}

function printEmails(io: CliIo, r: Round): void {
  for (const e of r.emails) io.stdout(`  ${e.file}\n      ${e.subject}\n      to ${e.to}\n`);
}

/** What each run must show; returns what did not. */
function expectations(first: Round, second: Round, changed: ReadonlyMap<string, "compliant" | "drifted">): string[] {
  const wrong: string[] = [];
  for (const t of SAMPLE_TENANTS) {
    const a = first.tenants.get(t.tenantId);
    const b = second.tenants.get(t.tenantId);
    if (a?.status !== t.expected) wrong.push(`run 1: ${t.displayName} is ${a?.status ?? "missing"}, its scenario says ${t.expected}`);
    const after = changed.get(t.tenantId) ?? t.expected;
    if (b?.status !== after) wrong.push(`run 2: ${t.displayName} is ${b?.status ?? "missing"}, expected ${after}`);
    const firstKinds = a?.alert?.transitions.map((x) => x.kind) ?? [];
    if (t.expected === "drifted" && !firstKinds.includes("drift-detected"))
      wrong.push(`run 1: ${t.displayName} drifted but no "drift detected" alert was written`);
    // Issue 15: a scenario that promises an early warning gets it on run 1 (and, nothing changed, not again on run 2).
    if (t.scenario.includes("early warning") && !firstKinds.includes("early-warning"))
      wrong.push(`run 1: ${t.displayName} promised an early warning but none was written`);
    const secondKinds = b?.alert?.transitions.map((x) => x.kind) ?? [];
    const want = changed.has(t.tenantId) ? (after === "compliant" ? "resolved" : "drift-detected") : undefined;
    if (want && !secondKinds.includes(want)) wrong.push(`run 2: ${t.displayName} has no "${want}" alert`);
    if (!want && secondKinds.length > 0) wrong.push(`run 2: ${t.displayName} alerted (${secondKinds.join(", ")}) though nothing changed`);
  }
  for (const [n, r] of [
    [1, first],
    [2, second],
  ] as const) {
    const alerts = [...r.tenants.values()].filter((t) => t.alert).length;
    if (r.emails.length !== alerts) wrong.push(`run ${n}: ${alerts} alert(s) but ${r.emails.length} email(s) in the outbox`);
    wrong.push(...r.failures.map((f) => `run ${n}: ${f}`));
  }
  return wrong;
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
    `Registered ${SAMPLE_TENANTS.length} tenants through the tenants API (PUT /api/tenants/{id}), alerts to it-admins@<their domain> and ${DEMO_ALERT_TO}\n\n`,
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
      const kinds = b?.alert?.transitions.map((x) => x.kind.replace("-", " ")).join(", ") ?? "";
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
  return 0;
}

export async function runDemo(tls: DemoTls, io: CliIo, options: DemoOptions = {}): Promise<number> {
  const resources = new Resources();
  return withCleanup(resources, () => demo(tls, io, options, resources), io.stderr);
}
