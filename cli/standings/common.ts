/** What the operators' commands (findings ack, exceptions, audit) share: the store, the clock, who, and how a refusal exits. */
import type { z } from "zod";
import { EXIT } from "../report/exit-code.js";
import type { CliIo } from "../io.js";
import { openStore } from "../store.js";
import { isGuid } from "../report/identifiers.js";
import { UsageError } from "../usage-error.js";
import type { Decided } from "../../lib/standings/decide.js";
import type { OperateDeps } from "../../lib/standings/operate.js";
import { safeJson, safeText } from "../../lib/text/safe.js";
import { accountKeyOf } from "../../lib/standings/account-of.js";

/** Exit code of a refused change that is not a usage mistake: someone else changed it meanwhile. */
const EXIT_CONFLICT = 1;

export const nowOf = (io: CliIo): Date => (io.now ? io.now() : new Date());

/** Who is deciding: --by, else DRIFT_OPERATOR, else the login name. */
export function operator(io: CliIo, by: string | undefined): string {
  const who = by ?? io.env.DRIFT_OPERATOR ?? io.env.USER ?? io.env.USERNAME;
  if (!who?.trim()) throw new UsageError("say who decides: --by you@example.com (or set DRIFT_OPERATOR)");
  return who.trim();
}

export function tenantArg(raw: string): string {
  if (!isGuid(raw)) throw new UsageError(`tenant "${raw}" is not a tenant id: use the directory (tenant) id GUID`);
  return raw.toLowerCase();
}

/** The key of the monitored account `--account` names (UPN, object id or key); the first account without it. */
export async function accountArg(io: CliIo, tenantId: string, named: string | undefined): Promise<string> {
  if (named === undefined) return "";
  const found = accountKeyOf(tenantId, await openStore(io).store.tenants.get(tenantId), named);
  if (!found.ok) throw new UsageError(safeText(found.error));
  return found.key;
}

export function operateDeps(io: CliIo): OperateDeps {
  const { store } = openStore(io);
  return { monitor: store.monitor, standings: store.standings };
}

/** Input validated by its schema, or a usage error naming each field. */
export function parsed<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "));
  return r.data;
}

/** Prints the outcome: the value (as JSON with --json, else `line`), or the refusal with its exit code. */
export function report<T>(io: CliIo, decided: Decided<T>, json: boolean | undefined, line: (value: T) => string): void {
  if (!decided.ok) {
    io.stderr(`${safeText(decided.error)}\n`);
    io.setExitCode(decided.status === 409 ? EXIT_CONFLICT : EXIT.usage);
    return;
  }
  io.stdout(json ? `${safeJson(decided.value)}\n` : `${line(decided.value)}\n`);
}
