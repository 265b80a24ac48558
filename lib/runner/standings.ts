/**
 * The acknowledgements of a tenant's accounts and the exceptions that may cover them, read once for
 * the tenant's run (the tenant's and the estate's exceptions are the same rows for every account):
 * an acknowledgement given while the run decides is taken into account by the next run.
 */
import type { Standings } from "../drift/standing.js";
import { partitionLabel } from "../store/monitor/keys.js";
import type { RunnerDeps, RunnerLogger } from "./types.js";

const consoleLogger: RunnerLogger = { warn: (message) => console.warn(message) };

/** By account key; undefined when the wiring reads no standings. */
export async function standingsOf(
  tenantId: string,
  keys: readonly string[],
  deps: Pick<RunnerDeps, "store" | "logger">,
): Promise<Map<string, Standings> | undefined> {
  if (!deps.store.standings || keys.length === 0) return undefined;
  const { byKey, unreadable } = await deps.store.standings.readAccountsStandings(tenantId, keys);
  const logger = deps.logger ?? consoleLogger;
  // Named by key only: the row's content may be anything, and a log is read by more people than the store.
  for (const row of unreadable) {
    logger.warn(
      `${partitionLabel(row.tenantId)}: the acknowledgement/exception row ${row.tenantId}/${row.rowKey} could not be read and is left out of this run: ` +
        "fix or withdraw it (`drift-monitor status <tenant>` lists it)",
    );
  }
  return byKey;
}
