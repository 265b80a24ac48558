/**
 * `drift-monitor findings ack|unack`: an operator acknowledges an open finding ("seen, working on
 * it"): reminders stop until the acknowledgement expires (default 7 days, at most 30) or the
 * finding's cause changes, and it is shown as acknowledged. Every change is an audit entry.
 */
import { Command } from "commander";
import { ackInputSchema } from "../../lib/model/standing.js";
import { acknowledge, withdrawAck } from "../../lib/standings/operate.js";
import { safeText } from "../../lib/text/safe.js";
import type { CliIo } from "../io.js";
import { accountArg, nowOf, operateDeps, operator, parsed, report, tenantArg } from "../standings/common.js";

interface AckOptions {
  tenant: string;
  account?: string;
  check: string;
  subject?: string;
  reason: string;
  for?: string;
  by?: string;
  json?: boolean;
}

export function findingsCommand(io: CliIo): Command {
  const cmd = new Command("findings").description("Acknowledge open findings (reminders stop until it expires or the finding changes)");
  cmd
    .command("ack")
    .description("Acknowledge an open finding of a tenant, with a reason")
    .requiredOption("--tenant <id>", "the tenant id (GUID)")
    .option("--account <upn-or-key>", "which monitored account's finding (UPN, object id or key); default: the tenant's first")
    .requiredOption("--check <id>", "the failing check, e.g. security-defaults or conditional-access")
    .option("--subject <policyId>", "for conditional-access: the blocking policy's id")
    .requiredOption("--reason <text>", "why, for the people who read the alert and the audit trail")
    .option("--for <duration>", "how long: 7d (default), 36h, 2w; at most 30d")
    .option("--by <who>", "who acknowledges (default: DRIFT_OPERATOR, else the login name)")
    .option("--json", "print the acknowledgement as JSON")
    .action(async (opts: AckOptions) => {
      const tenantId = tenantArg(opts.tenant);
      const accountKey = await accountArg(io, tenantId, opts.account);
      const input = parsed(ackInputSchema, {
        accountKey,
        checkId: opts.check,
        subject: opts.subject,
        reason: opts.reason,
        for: opts.for,
        by: operator(io, opts.by),
      });
      const decided = await acknowledge(operateDeps(io), tenantId, input, nowOf(io));
      report(
        io,
        decided,
        opts.json,
        (a) => `Acknowledged ${safeText(a.findingKey.replace(/\|$/, ""))} of tenant ${tenantId} until ${a.until} (by ${safeText(a.by)}).`,
      );
    });
  cmd
    .command("unack")
    .description("Withdraw an acknowledgement: the finding alerts again")
    .requiredOption("--tenant <id>", "the tenant id (GUID)")
    .option("--account <upn-or-key>", "which monitored account's finding (UPN, object id or key); default: the tenant's first")
    .requiredOption("--check <id>", "the check")
    .option("--subject <policyId>", "for conditional-access: the policy's id")
    .option("--by <who>", "who withdraws it")
    .option("--json", "print the withdrawn acknowledgement as JSON")
    .action(async (opts: Omit<AckOptions, "reason" | "for">) => {
      const tenantId = tenantArg(opts.tenant);
      const key = `${opts.check}|${opts.subject ?? ""}`;
      const accountKey = await accountArg(io, tenantId, opts.account);
      const decided = await withdrawAck(operateDeps(io), tenantId, key, operator(io, opts.by), nowOf(io), accountKey);
      report(io, decided, opts.json, (a) => `Withdrew the acknowledgement of ${safeText(a.findingKey.replace(/\|$/, ""))} of tenant ${tenantId}.`);
    });
  return cmd;
}
