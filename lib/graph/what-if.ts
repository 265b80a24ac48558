/**
 * Sends the What If evaluations of one tenant (lib/graph/facts/what-if.ts): one POST per context,
 * each paced under the tenant's Conditional Access budget. A throttled, refused or failed answer
 * makes the cross-check `skipped` with its reason (and, for 401/403, the permission to grant):
 * never a failure of the check, never `unknown`.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SignInContext, WhatIfAnswer, WhatIfFact } from "../model/facts.js";
import { errorMessage } from "../errors/text.js";
import { WHAT_IF, toWhatIfAnswers, whatIfBody } from "./facts/what-if.js";
import type { TenantPacer } from "./pacing.js";
import { graphTransport } from "./transport.js";

interface WhatIfRun {
  readonly fact: WhatIfFact;
  readonly roundTrips: number;
  /** Throttled: try again next run even though nothing changed. */
  readonly retry: boolean;
}

export async function evaluateWhatIf(
  client: Client,
  input: { readonly userId: string; readonly contexts: readonly SignInContext[]; readonly now: Date; readonly pacer?: TenantPacer },
): Promise<WhatIfRun> {
  const transport = graphTransport(client);
  const answers: WhatIfAnswer[] = [];
  const done = (fact: WhatIfFact, retry = false): WhatIfRun => ({ fact, roundTrips: transport.roundTrips, retry });
  for (const context of input.contexts) {
    const permit = input.pacer ? await input.pacer.acquire({ [WHAT_IF.budget]: 1 }) : undefined;
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await transport.post(WHAT_IF.version, WHAT_IF.url, whatIfBody(input.userId, context)));
    } catch (error) {
      return done({ status: "skipped", reason: `What If could not be reached: ${errorMessage(error)}; tried again next run` }, true);
    } finally {
      permit?.release();
    }
    if (status === 401 || status === 403) {
      return done({
        status: "skipped",
        reason: `Graph answered ${status} to What If: grant the application permission ${WHAT_IF.permission} and admin consent to cross-check`,
        permission: WHAT_IF.permission,
      });
    }
    if (status === 429) return done({ status: "skipped", reason: "What If was throttled (429); it is tried again on the next run" }, true);
    if (status < 200 || status >= 300)
      return done({ status: "skipped", reason: `Graph answered ${status} to What If; it is tried again on the next run` }, true);
    const parsed = toWhatIfAnswers(context, body);
    if (!parsed.ok) return done({ status: "skipped", reason: `What If's answer did not have the documented shape: ${parsed.problem}` });
    answers.push(...parsed.value);
  }
  return done({ status: "evaluated", evaluatedAt: input.now.toISOString(), answers, contexts: input.contexts });
}
