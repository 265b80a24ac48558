/**
 * Every given tenant through the runner, a few at a time. Tenants are independent: one that
 * throws (Graph down, storage refused, an unknown profile) becomes an error row and the others
 * carry on. Exit code as `check`, over the estate: 1 if any drifted, else 2 if any could not be
 * verified (unknown, or an error), else 0.
 */
import pLimit from "p-limit";
import type { RegisteredTenant } from "../lib/model/tenant.js";
import type { TenantStatus } from "../lib/model/report.js";
import type { TransitionKind } from "../lib/model/state.js";
import { runTenantCheck, runTime, type RunnerDeps } from "../lib/runner/index.js";
import type { CheckLeases } from "../lib/store/index.js";
import { EXIT } from "./report/exit-code.js";
import { errorMessage } from "../lib/errors/text.js";

export interface TenantRunRow {
  readonly tenantId: string;
  readonly displayName: string;
  /** `late`: Graph throttled it (no verdict this run); `skipped`: another check of it (the app's, another run's) holds its lease. */
  readonly status: TenantStatus | "late" | "skipped" | "error";
  readonly fails: number;
  readonly warns: number;
  readonly unknowns: number;
  /** The kinds of the transitions this run wrote to the outbox. */
  readonly transitions: readonly TransitionKind[];
  /** The first outbox row written, if any (a one-account tenant writes one at most). */
  readonly alertId: string | null;
  /** Every outbox row written, one per account at most, with the account's key (its Monitor partition: lib/model/account.ts). */
  readonly alerts: readonly { readonly accountKey: string; readonly id: string }[];
  readonly error: string | null;
}

export interface EstateRun {
  readonly rows: readonly TenantRunRow[];
  readonly totals: Readonly<Record<TenantRunRow["status"], number>> & { readonly tenants: number; readonly transitions: number; readonly alerts: number };
  readonly exitCode: number;
}

interface EstateLeases {
  readonly store: Pick<CheckLeases, "acquire" | "release">;
  readonly durationMs: number;
}

export async function runEstate(
  tenants: readonly RegisteredTenant[],
  deps: RunnerDeps,
  options: {
    readonly concurrency: number;
    readonly onDone?: (row: TenantRunRow) => void;
    /**
     * The tenants' check leases, as the Functions app takes them: a tenant the app (or another
     * `run`) is checking right now is skipped, so no two checks of one tenant share its Graph
     * budgets (1 CA request/s, 5 report requests/10 s per tenant) from two processes.
     */
    readonly leases?: EstateLeases;
  },
): Promise<EstateRun> {
  const limit = pLimit(options.concurrency);
  // One estate run is one schedule period: the unknown streak grows by one per `run`, however
  // many times a tenant is retried within it.
  const period = deps.now().toISOString();
  const rows = await Promise.all(
    tenants.map((tenant) =>
      limit(async (): Promise<TenantRunRow> => {
        const row = await checkOne(tenant, deps, period, options.leases);
        options.onDone?.(row);
        return row;
      }),
    ),
  );
  const by = (s: TenantRunRow["status"]) => rows.filter((r) => r.status === s).length;
  const totals = {
    tenants: rows.length,
    compliant: by("compliant"),
    drifted: by("drifted"),
    unknown: by("unknown"),
    late: by("late"),
    skipped: by("skipped"),
    error: by("error"),
    transitions: rows.reduce((n, r) => n + r.transitions.length, 0),
    alerts: rows.reduce((n, r) => n + r.alerts.length, 0),
  };
  // Late and errored tenants were not verified this run; a skipped one is being checked elsewhere.
  const exitCode = totals.drifted > 0 ? EXIT.drifted : totals.unknown + totals.late + totals.error > 0 ? EXIT.unknown : EXIT.compliant;
  return { rows, totals, exitCode };
}

/** One tenant's row. Never throws: a storage error on its lease or its run is its error row, never the end of the run's other tenants. */
async function checkOne(tenant: RegisteredTenant, deps: RunnerDeps, period: string, leases: EstateLeases | undefined): Promise<TenantRunRow> {
  const empty = { tenantId: tenant.tenantId, displayName: tenant.displayName, fails: 0, warns: 0, unknowns: 0, transitions: [], alertId: null, alerts: [] };
  let lease: Awaited<ReturnType<CheckLeases["acquire"]>> | undefined;
  try {
    lease = leases ? await leases.store.acquire(tenant.tenantId, await runTime(deps), leases.durationMs, "manual") : undefined;
    if (lease && !lease.acquired) return { ...empty, status: "skipped", error: null };
    const outcome = await runTenantCheck(tenant, deps, { period });
    // Every account's results: a tenant's row sums its accounts.
    const count = (s: string) => outcome.accounts.reduce((n, a) => n + a.report.checks.filter((c) => c.status === s).length, 0);
    return {
      tenantId: tenant.tenantId,
      displayName: tenant.displayName,
      status: outcome.late !== undefined ? "late" : outcome.status,
      fails: count("fail"),
      warns: count("warn"),
      unknowns: count("unknown"),
      transitions: outcome.transitions.map((t) => t.kind),
      alertId: outcome.alerts[0]?.id ?? null,
      alerts: outcome.alerts.map((a) => ({ accountKey: a.accountKey ?? "", id: a.id })),
      error: null,
    };
  } catch (error) {
    return { ...empty, status: "error", error: errorMessage(error) };
  } finally {
    if (lease?.acquired) await leases?.store.release(tenant.tenantId, lease.lease.leaseId).catch(() => false);
  }
}

/** "drift-detected ×2, security-notice" */
export function transitionsText(kinds: readonly string[]): string {
  if (kinds.length === 0) return "-";
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(", ");
}
