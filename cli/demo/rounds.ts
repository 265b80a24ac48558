/**
 * What one round of the demo did (checks, alerts, emails, the global summary), how the demo prints
 * it, and what each round must show for the demo to exit 0.
 */
import { SAMPLE_TENANTS, type SampleTenant } from "../../sim/estate/index.js";
import type { OutboxAlert } from "../../lib/model/state.js";
import type { CliIo } from "../io.js";
import { transitionLine } from "./describe.js";

/** The global list the demo registers (ALERT_TO): it gets one summary a run. */
export const DEMO_ALERT_TO = "noc@msp.example";

export interface TenantRun {
  readonly tenant: SampleTenant;
  /** The tenant's first account's status: the one its scenario (the sample's `expected`) is about. */
  readonly status: string;
  /** Every outbox row the check wrote: one per account at most. */
  readonly alerts: readonly OutboxAlert[];
}

export interface Email {
  readonly tenant: string;
  readonly file: string;
  readonly subject: string;
  readonly to: string;
}

export interface Round {
  readonly queued: number;
  readonly tenants: Map<string, TenantRun>;
  readonly emails: Email[];
  /** The one summary of the run for the global list (ALERT_TO), if the run alerted. */
  readonly summary: Email | undefined;
  readonly failures: string[];
  readonly seconds: number;
}

export function roundLine(n: number, r: Round): string {
  const alerts = alertCount(r);
  return (
    `Run ${n}: scheduleChecks queued ${r.queued} check(s) → checkTenant ×${r.tenants.size} → ${alerts} alert(s) queued → deliverAlerts ` +
    `→ ${r.emails.length} email(s)${r.summary ? ` + 1 summary to ${DEMO_ALERT_TO}` : ""} (${r.seconds.toFixed(1)} s)\n`
  );
}

const alertCount = (r: Round): number => [...r.tenants.values()].reduce((n, t) => n + t.alerts.length, 0);

/** Every transition of the tenant's alerts; an account other than a one-account tenant's named after the tenant. */
function transitionsOf(run: TenantRun): string[] {
  return run.alerts.flatMap((a) => {
    const who = (a.tenantAccounts ?? 1) > 1 && a.accountRef ? ` (${a.accountRef})` : "";
    return a.transitions.map((t) => `${who}: ${transitionLine(t)}`);
  });
}

export const transitionKinds = (run: TenantRun | undefined): string[] => run?.alerts.flatMap((a) => a.transitions.map((x) => x.kind)) ?? [];

export function printTransitions(io: CliIo, n: number, r: Round): void {
  const lines = [...r.tenants.values()]
    .filter((t) => t.alerts.length > 0)
    .sort((a, b) => a.tenant.displayName.localeCompare(b.tenant.displayName))
    .flatMap((t) => transitionsOf(t).map((line) => `  ${t.tenant.displayName}${line}`));
  io.stdout(`\nTransitions in run ${n}:\n${lines.length > 0 ? lines.join("\n") : "  none"}\n`);
}

export function printEmails(io: CliIo, r: Round): void {
  for (const e of [...r.emails, ...(r.summary ? [r.summary] : [])]) io.stdout(`  ${e.file}\n      ${e.subject}\n      to ${e.to}\n`);
}

/** What each run must show; returns what did not. */
export function expectations(first: Round, second: Round, changed: ReadonlyMap<string, "compliant" | "drifted">): string[] {
  const wrong: string[] = [];
  for (const t of SAMPLE_TENANTS) {
    const a = first.tenants.get(t.tenantId);
    const b = second.tenants.get(t.tenantId);
    if (a?.status !== t.expected) wrong.push(`run 1: ${t.displayName} is ${a?.status ?? "missing"}, its scenario says ${t.expected}`);
    const after = changed.get(t.tenantId) ?? t.expected;
    if (b?.status !== after) wrong.push(`run 2: ${t.displayName} is ${b?.status ?? "missing"}, expected ${after}`);
    const firstKinds = transitionKinds(a);
    if (t.expected === "drifted" && !firstKinds.includes("drift-detected"))
      wrong.push(`run 1: ${t.displayName} drifted but no "drift detected" alert was written`);
    // A scenario that promises an early warning gets it on run 1 (and, nothing changed, not again on run 2).
    if (t.scenario.includes("early warning") && !firstKinds.includes("early-warning"))
      wrong.push(`run 1: ${t.displayName} promised an early warning but none was written`);
    // The tenant's other accounts: each emergency-access one is told about in run 1 (a sign-in, a drift), in its own alert, and never again.
    for (const extra of t.monitoredAccounts.slice(1).filter((x) => x.kind === "emergency-access")) {
      const of = (run: TenantRun | undefined) => run?.alerts.filter((x) => x.accountRef?.toLowerCase() === extra.ref.toLowerCase()) ?? [];
      if (of(a).length !== 1) wrong.push(`run 1: ${t.displayName}'s ${extra.ref} has ${of(a).length} alert(s), not one`);
      if (of(b).length > 0) wrong.push(`run 2: ${t.displayName}'s ${extra.ref} alerted again though nothing changed for it`);
    }
    const secondKinds = (b?.alerts.filter((x) => (x.accountKey ?? "") === "") ?? []).flatMap((x) => x.transitions.map((y) => y.kind));
    const want = changed.has(t.tenantId) ? (after === "compliant" ? "resolved" : "drift-detected") : undefined;
    if (want && !secondKinds.includes(want)) wrong.push(`run 2: ${t.displayName} has no "${want}" alert`);
    if (!want && secondKinds.length > 0) wrong.push(`run 2: ${t.displayName} alerted (${secondKinds.join(", ")}) though nothing changed`);
  }
  for (const [n, r] of [
    [1, first],
    [2, second],
  ] as const) {
    const alerts = alertCount(r);
    if (r.emails.length !== alerts) wrong.push(`run ${n}: ${alerts} alert(s) but ${r.emails.length} email(s) in the outbox`);
    if (alerts > 0 && r.summary?.to !== DEMO_ALERT_TO) wrong.push(`run ${n}: ${alerts} alert(s) but no summary to ${DEMO_ALERT_TO}`);
    wrong.push(...r.failures.map((f) => `run ${n}: ${f}`));
  }
  return wrong;
}
