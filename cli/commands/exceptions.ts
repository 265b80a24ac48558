/**
 * `drift-monitor exceptions add|remove|list`: approved exceptions, for one tenant or the whole
 * estate (--estate): a named Conditional Access policy may apply to the connection account, or a
 * check is waived, with a reason, an owner, a ticket or reference and an expiry (at most a year).
 * A tenant's exception covers every monitored account of it, or with --account that one alone (its
 * own id, `…@{key}`; it wins over the tenant's of the same target). While it stands what it allows
 * is shown as excepted, not alerted; anything beyond it is a drift.
 */
import { Command } from "commander";
import { accountExceptionId, ESTATE_SCOPE, exceptionInputSchema, type ApprovedException } from "../../lib/model/standing.js";
import { approveException, removeException } from "../../lib/standings/operate.js";
import { safeJson, safeText } from "../../lib/text/safe.js";
import type { CliIo } from "../io.js";
import { renderTable } from "../table.js";
import { UsageError } from "../usage-error.js";
import { accountArg, nowOf, operateDeps, operator, parsed, report, tenantArg } from "../standings/common.js";
import { accountNameOf } from "../../lib/standings/account-of.js";
import { openStore } from "../store.js";

interface ScopeOptions {
  tenant?: string;
  estate?: boolean;
  by?: string;
  json?: boolean;
}

interface AddOptions extends ScopeOptions {
  account?: string;
  policy?: string;
  controls?: string;
  check?: string;
  reason: string;
  owner: string;
  reference: string;
  expires: string;
}

function scopeOf(opts: ScopeOptions): string {
  if ((opts.tenant === undefined) === (opts.estate !== true)) throw new UsageError("give exactly one of --tenant <id> and --estate");
  return opts.tenant !== undefined ? tenantArg(opts.tenant) : ESTATE_SCOPE;
}

const allows = (e: ApprovedException): string =>
  e.target.kind === "check-waived" ? `check ${e.target.checkId} waived` : `policy ${e.target.policy} may apply (${e.target.controls})`;

const scopeText = (scope: string): string => (scope === ESTATE_SCOPE ? "every tenant" : `tenant ${scope}`);

/** The account `--account` names, for a tenant's exception only: an estate-wide template covers every account. */
async function accountOf(io: CliIo, scope: string, named: string | undefined): Promise<string | undefined> {
  if (named === undefined) return undefined;
  if (scope === ESTATE_SCOPE) throw new UsageError("--account is for one tenant's exception: an estate-wide template covers every account of every tenant");
  return accountArg(io, scope, named);
}

export function exceptionsCommand(io: CliIo): Command {
  const cmd = new Command("exceptions").description("Approved exceptions: what may differ from the required state, until when");
  cmd
    .command("add")
    .description("Approve an exception (replaces the one of the same policy or check)")
    .option("--tenant <id>", "for one tenant (GUID)")
    .option("--estate", "as an estate-wide template every tenant inherits")
    .option("--policy <idOrName>", "a Conditional Access policy that may apply to the account (its id; its name with --estate)")
    .option("--controls <controls>", "the policy's grant controls that are allowed (required with --estate), e.g. block or mfa+compliantDevice")
    .option("--check <id>", "a check that is waived")
    .option("--account <upn-or-key>", "for this monitored account only (UPN, object id or key); default: every account of the tenant")
    .requiredOption("--reason <text>", "why it is approved")
    .requiredOption("--owner <who>", "who owns the exception")
    .requiredOption("--reference <ticket>", "the ticket or change reference")
    .requiredOption("--expires <date>", "when it ends (2027-01-31 or an ISO time), at most a year ahead")
    .option("--by <who>", "who approves (default: DRIFT_OPERATOR, else the login name)")
    .option("--json", "print the exception as JSON")
    .action(async (opts: AddOptions) => {
      const scope = scopeOf(opts);
      const accountKey = await accountOf(io, scope, opts.account);
      const input = parsed(exceptionInputSchema, {
        accountKey,
        policy: opts.policy,
        controls: opts.controls,
        checkId: opts.check,
        reason: opts.reason,
        owner: opts.owner,
        reference: opts.reference,
        expiresAt: opts.expires,
        by: operator(io, opts.by),
      });
      const decided = await approveException(operateDeps(io), scope, input, nowOf(io));
      const whom = accountKey === undefined ? "" : `, account ${opts.account?.trim() ?? ""} only`;
      const line = (e: ApprovedException) => `Approved for ${scopeText(scope)}${whom}: ${allows(e)} (id ${e.id}), until ${e.expiresAt} (owner ${e.owner}).`;
      report(io, decided, opts.json, (e) => safeText(line(e)));
    });
  cmd
    .command("remove")
    .description("Remove an exception: what it allowed is a drift again")
    .option("--tenant <id>", "of one tenant (GUID)")
    .option("--estate", "an estate-wide template")
    .requiredOption("--id <id>", "the exception's id, as listed (policy:… or check:…, …@{account} for one account's)")
    .option("--account <upn-or-key>", "the exception of --id's target for this account only (as add --account named it)")
    .option("--by <who>", "who removes it")
    .option("--json", "print the removed exception as JSON")
    .action(async (opts: ScopeOptions & { id: string; account?: string }) => {
      const scope = scopeOf(opts);
      const id = accountExceptionId(opts.id.trim(), await accountOf(io, scope, opts.account));
      const decided = await removeException(operateDeps(io), scope, id, operator(io, opts.by), nowOf(io));
      report(io, decided, opts.json, (e) => `Removed ${safeText(e.id)} of ${scopeText(scope)}.`);
    });
  cmd
    .command("list")
    .description("The exceptions of a tenant or of the estate, removed ones included")
    .option("--tenant <id>", "of one tenant (GUID)")
    .option("--estate", "the estate-wide templates")
    .option("--json", "print them as JSON")
    .action(async (opts: ScopeOptions) => {
      const scope = scopeOf(opts);
      const { store } = openStore(io);
      const [list, tenant] = await Promise.all([store.standings.listExceptions(scope), scope === ESTATE_SCOPE ? undefined : store.tenants.get(scope)]);
      if (opts.json) return io.stdout(`${safeJson(list)}\n`);
      const rows = list.map((e) => [
        e.id,
        accountNameOf(tenant, e.accountKey) ?? "every account",
        allows(e),
        e.withdrawn ? `removed ${e.withdrawn.at}` : `until ${e.expiresAt}`,
        e.owner,
        e.reference,
        e.reason,
      ]);
      const heads = ["ID", "ACCOUNT", "ALLOWS", "STANDS", "OWNER", "REFERENCE", "REASON"];
      io.stdout(rows.length === 0 ? `No exceptions for ${scopeText(scope)}.\n` : renderTable(heads, rows));
    });
  return cmd;
}
