/**
 * Consent across the estate, the imperative shell. Through Microsoft Graph rather than Partner
 * Center's application-consent API: the same partner token (GDAP, delegated) that discovery uses,
 * no second API or token type; one request per permission, so a tenant that holds some is completed
 * without touching the rest, and what exists is read before anything is written; and the simulator
 * and the Graph contract check cover it. The price is the role: Graph app roles need Privileged Role
 * Administrator or Global Administrator (plan.ts), where Partner Center also takes Cloud Application
 * Administrator. A bounded number of tenants at a time; one failing is reported, never stops the others.
 */
import pLimit from "p-limit";
import type { Transport } from "../../lib/graph/transport.js";
import { MICROSOFT_GRAPH_APP_ID, type GraphPermission } from "../../lib/graph/app-roles.js";
import { errorMessage } from "../../lib/errors/text.js";
import { createProgress } from "../progress.js";
import { canGrantGraphRoles, GRANT_ROLE_NAME, planConsent } from "./plan.js";
import { assignAppRole, createPrincipal, findPrincipal, heldAppRoles } from "./graph-writes.js";
import type { ProgressFile } from "./progress-file.js";

export interface ConsentTarget {
  readonly tenantId: string;
  readonly displayName: string;
  /** The role ids the partner's active relationships grant there. */
  readonly roleIds: readonly string[];
}

export type ConsentOutcome = "consented" | "already" | "would grant" | "lacks role" | "failed";

export interface ConsentResult {
  readonly tenantId: string;
  readonly displayName: string;
  readonly outcome: ConsentOutcome;
  readonly detail: string;
}

interface ConsentOptions {
  readonly transportFor: (tenantId: string) => Transport;
  readonly appId: string;
  readonly required: readonly GraphPermission[];
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly progressFile: ProgressFile;
  readonly progressSink: { write(text: string): void; readonly columns?: number };
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** First wait for a new principal to become visible; doubled each time, `visibilityTries` times. */
  readonly retryDelayMs: number;
  readonly visibilityTries: number;
  readonly signal?: AbortSignal;
}

async function assignWhenVisible(o: ConsentOptions, t: Transport, sp: string, graphSp: string, appRoleId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    o.signal?.throwIfAborted();
    if ((await assignAppRole(t, sp, graphSp, appRoleId)) !== "not-visible") return;
    if (attempt + 1 >= o.visibilityTries) throw new Error("the new service principal is not visible yet: run consent again in a few minutes");
    await o.sleep(Math.min(o.retryDelayMs * 2 ** attempt, 30_000));
  }
}

async function consentOne(o: ConsentOptions, target: ConsentTarget): Promise<Omit<ConsentResult, "tenantId" | "displayName">> {
  if (!canGrantGraphRoles(target.roleIds)) return { outcome: "lacks role", detail: `the relationship lacks ${GRANT_ROLE_NAME} (or Global Administrator)` };
  const t = o.transportFor(target.tenantId);
  const graphSp = await findPrincipal(t, MICROSOFT_GRAPH_APP_ID);
  if (!graphSp) throw new Error("Microsoft Graph's service principal is not in the tenant");
  let sp = await findPrincipal(t, o.appId);
  const plan = planConsent(o.required, sp !== undefined, sp ? await heldAppRoles(t, sp, graphSp) : []);
  const names = plan.assign.map((a) => a.permission).join(", ");
  if (plan.assign.length === 0 && !plan.createPrincipal) return { outcome: "already", detail: "every permission granted" };
  if (o.dryRun) return { outcome: "would grant", detail: `${plan.createPrincipal ? "create the app's service principal; " : ""}${names}` };
  sp ??= await createPrincipal(t, o.appId);
  for (const a of plan.assign) await assignWhenVisible(o, t, sp, graphSp, a.appRoleId);
  return { outcome: "consented", detail: `granted ${names}` };
}

/** Every target, skipping those the progress file says are finished; results in the targets' order. */
export async function consentEstate(o: ConsentOptions, targets: readonly ConsentTarget[]): Promise<ConsentResult[]> {
  const limit = pLimit(o.concurrency);
  const todo = new Set(targets.filter((t) => !o.progressFile.finished.has(t.tenantId.toLowerCase())));
  const progress = createProgress(todo.size, o.progressSink, "tenants");
  const results = await Promise.all(
    targets.map((target) => {
      const base = { tenantId: target.tenantId, displayName: target.displayName };
      if (!todo.has(target)) return { ...base, outcome: "already" as const, detail: "finished by an earlier run" };
      return limit(async (): Promise<ConsentResult> => {
        o.signal?.throwIfAborted();
        let result: ConsentResult;
        try {
          result = { ...base, ...(await consentOne(o, target)) };
        } catch (error) {
          if (o.signal?.aborted) throw error;
          result = { ...base, outcome: "failed", detail: errorMessage(error) };
        }
        const outcome = result.outcome;
        if (!o.dryRun && (outcome === "consented" || outcome === "already")) await o.progressFile.record(target.tenantId, outcome, o.now());
        progress.tick(`${target.displayName}: ${result.outcome}`);
        return result;
      });
    }),
  );
  progress.done();
  return results;
}
