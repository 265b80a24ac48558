/**
 * `drift-monitor run`: every enabled tenant, in this process, through the same runner the queue
 * trigger uses — so state, snapshots and outbox rows are exactly what the Functions app would
 * write. Progress goes to stderr; the summary (or --json) to stdout.
 */
import { Command } from "commander";
import { loadSettings } from "../../lib/config/settings.js";
import { defaultRunnerDeps } from "../../lib/runner/index.js";
import { createApp } from "../../functions/app/app.js";
import { deliverDue, type DeliverySummary } from "../../lib/alerts/deliver.js";
import { rollupText } from "../../lib/alerts/rollup/text.js";
import { channelsText, waitingOf, waitingText, type Waiting } from "../../lib/alerts/delivery-rows.js";
import type { OutboxDeliveryRepository } from "../../lib/store/index.js";
import { loadAlertSettings } from "../../lib/config/alert-settings.js";
import { loadAppSettings } from "../../lib/config/app-settings.js";
import { UsageError } from "../usage-error.js";
import { createProgress } from "../progress.js";
import { renderTable } from "../table.js";
import { openStore } from "../store.js";
import { runEstate, transitionsText, type EstateRun } from "../run-estate.js";
import type { CliIo } from "../io.js";
import { safeJson, safeStrings, safeText } from "../../lib/text/safe.js";
import { errorMessage } from "../../lib/errors/text.js";

interface RunOptions {
  concurrency: string;
  json?: boolean;
  deliver?: boolean;
}

const MAX_CONCURRENCY = 64;

function parseConcurrency(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${raw}"`);
  }
  return n;
}

/**
 * The bar redraws in place only on a real terminal. In-process callers (tests) hand in their own
 * env and capture stderr, so they get plain lines even when the test runner has a TTY.
 */
function stderrColumns(io: CliIo): number | undefined {
  return io.env === process.env && process.stderr.isTTY ? process.stderr.columns : undefined;
}

/** Tenant names and errors on one line, controls and bidi as visible escapes. */
function formatEstateRun(raw: EstateRun): string {
  const run = safeStrings(raw);
  const order = { drifted: 0, error: 1, unknown: 2, late: 3, skipped: 4, compliant: 5 } as const;
  const rows = [...run.rows].sort((a, b) => order[a.status] - order[b.status] || a.displayName.localeCompare(b.displayName));
  let out = renderTable(
    ["TENANT", "STATUS", "FAILS", "WARNS", "TRANSITIONS WRITTEN"],
    rows.map((r) => [r.displayName, r.status, String(r.fails), String(r.warns), transitionsText(r.transitions)]),
    { right: [2, 3] },
  );
  const errors = rows.filter((r) => r.error !== null);
  if (errors.length > 0) {
    const lines = errors.map((r) => `  ${r.displayName} (${r.tenantId}): ${r.error}`);
    out += `\nErrors (these tenants were not checked; the others were):\n${lines.join("\n")}\n`;
  }
  const t = run.totals;
  const also = [t.late ? `${t.late} late (throttled; carried to the next run)` : "", t.skipped ? `${t.skipped} skipped (checked elsewhere now)` : ""];
  const counts = [`${t.compliant} compliant`, `${t.drifted} drifted`, `${t.unknown} unknown`, ...also.filter(Boolean), `${t.error} error(s)`];
  out += `\n${t.tenants} tenant(s): ${counts.join(", ")}; `;
  out += `${t.transitions} transition(s) written in ${t.alerts} alert(s) to the outbox\n`;
  return out;
}

/** Rows still pending after the delivery, each with what it waits for (an interrupted attempt's claim, or a retry). */
interface WaitingRow {
  readonly tenantId: string;
  readonly id: string;
  readonly waiting: Waiting;
}

function deliveryJson(d: DeliverySummary, waiting: readonly WaitingRow[]) {
  return {
    sent: d.sent,
    retrying: d.retrying,
    deadLettered: d.deadLettered,
    skipped: d.skipped,
    errors: d.errors,
    outcomes: d.outcomes,
    waiting,
    ...(d.rollup ? { rollup: d.rollup } : {}),
  };
}

function outcomeLine(o: DeliverySummary["outcomes"][number]): string {
  const channels = "channels" in o && o.channels ? ` (${channelsText(o.channels)})` : "";
  return `  alert ${o.id} of ${o.tenantId}: ${o.status}: ${o.status === "skipped" ? o.reason : o.status === "sent" ? "" : o.error}${channels}\n`;
}

function formatDelivery(raw: DeliverySummary, rawSent: readonly string[], waiting: readonly WaitingRow[]): string {
  const [d, sent] = [safeStrings(raw), safeStrings(rawSent)];
  let out = `Delivered the outbox: ${d.sent} sent, ${d.retrying} retrying later, ${d.deadLettered} dead-lettered, ${d.skipped} skipped, ${d.errors} error(s)\n`;
  for (const line of [...sent].sort()) out += `  ${line}\n`;
  for (const o of d.outcomes) if (o.status !== "sent") out += outcomeLine(o);
  for (const w of waiting) out += `  alert ${w.id} of ${w.tenantId}: ${waitingText(w.waiting)}\n`;
  if (d.stoppedEarly) out += `  stopped early: ${d.stoppedEarly}\n`;
  if (d.rollup) out += `  global list and webhook: ${rollupText(d.rollup)}\n`;
  return out;
}

/** After delivering: the rows still pending and not due, so an interrupted attempt is not mistaken for a lost alert. */
async function waitingRows(outbox: Pick<OutboxDeliveryRepository, "listUndelivered">, now: Date): Promise<WaitingRow[]> {
  const rows = await outbox.listUndelivered();
  return rows.flatMap((r) => {
    const waiting = waitingOf(r, now);
    return waiting ? [{ tenantId: r.tenantId, id: r.alert.id, waiting }] : [];
  });
}

export function runCommand(io: CliIo): Command {
  return new Command("run")
    .description("check every enabled tenant now, in this process, recording state, snapshots and alerts as the Functions app does")
    .option("--concurrency <n>", "tenants checked at once", "8")
    .option("--json", "print the results as JSON")
    .option(
      "--deliver",
      "then send every alert due in the outbox from this process (ACS, or .eml files in OUTBOX_DIR), instead of leaving them to the app's delivery sweep",
    )
    .action(async (opts: RunOptions) => {
      const concurrency = parseConcurrency(opts.concurrency);
      const settings = loadSettings(io.env);
      // Alert settings are checked before anything runs, so a typo cannot cost a whole run.
      if (opts.deliver) loadAlertSettings(io.env);
      const { store, settings: storeSettings } = openStore(io);
      const tenants = await store.tenants.list({
        enabledOnly: true,
        onInvalid: (row) =>
          io.stderr(`warning: tenant ${safeText(row.tenantId)} is not run: its Tenants row is unreadable (${safeText(row.error)}); register it again\n`),
      });
      if (tenants.length === 0) {
        if (opts.json) io.stdout(safeJson({ tenants: [], totals: { tenants: 0 } }));
        else io.stdout("No enabled tenants: register some with `drift-monitor tenants add` or `tenants import <csv>`.\n");
        io.setExitCode(0);
        return;
      }
      const progress = createProgress(tenants.length, { write: io.stderr, columns: stderrColumns(io) });
      const run = await runEstate(tenants, defaultRunnerDeps(settings, storeSettings, store, { clock: store.storageClock() }), {
        concurrency,
        leases: { store: store.leases, durationMs: loadAppSettings(io.env).checkLeaseMinutes * 60_000 },
        onDone: (row) => progress.tick(`${row.displayName}: ${row.status}`),
      });
      progress.done();
      const sent: string[] = [];
      const delivery = opts.deliver
        ? await deliverDue(
            createApp({ env: io.env }).deliveryDeps((e) => (e.kind === "sent" ? sent.push(`${e.channel}: ${e.detail}`) : undefined), { settled: true }),
          )
        : undefined;
      // What still waits is a courtesy: a storage error reading it must not hide what this run did and sent.
      const waiting = delivery
        ? await waitingRows(store.outbox, new Date()).catch((error: unknown) => {
            io.stderr(`warning: could not list the alerts still waiting: ${safeText(errorMessage(error))}\n`);
            return [];
          })
        : [];
      if (opts.json) {
        io.stdout(safeJson({ tenants: run.rows, totals: run.totals, ...(delivery ? { delivery: deliveryJson(delivery, waiting) } : {}) }));
      } else {
        io.stdout(formatEstateRun(run) + (delivery ? formatDelivery(delivery, sent, waiting) : ""));
      }
      io.setExitCode(run.exitCode);
    });
}
