/**
 * Which finding can be fixed with one click, and the fix's target: read from the account's last
 * report, pure. A finding is `{checkId}|{subject}` (the Conditional Access policy id for
 * `conditional-access`, else empty). Only a failing check is offered; what stays with a person
 * says why (docs/remediation.md "What stays manual").
 */
import type { Report } from "../model/report.js";
import type { FixTarget } from "./preview.js";
import { securityDefaultsRemediation } from "../checks/security-defaults/remediation.js";
import { classify } from "../checks/conditional-access/expectations.js";
import { PROFILES } from "../checks/profiles.js";

type FixTargetOf = { readonly ok: true; readonly target: FixTarget } | { readonly ok: false; readonly why: string };

const no = (why: string): FixTargetOf => ({ ok: false, why });

export function fixTargetOf(report: Report | undefined, findingKey: string): FixTargetOf {
  const bar = findingKey.indexOf("|");
  const checkId = bar < 0 ? findingKey : findingKey.slice(0, bar);
  const subject = bar < 0 ? "" : findingKey.slice(bar + 1);
  if (!report) return no("the account has not been checked yet");
  const result = report.checks.find((c) => c.id === checkId);
  if (!result || result.status !== "fail") return no(`the last check shows no failing ${checkId} finding: check again first`);
  if (checkId === "security-defaults") return no(securityDefaultsRemediation().manual);
  const accountId = report.account.id;
  if (!accountId) return no("the account's object id is not known yet (the last check could not read the account)");
  switch (checkId) {
    case "conditional-access": {
      // What fails is the profile's rule (an emergency-access account fails a conditional or session-only policy too); an unknown profile: blocking only.
      const expectation = PROFILES[report.profile]?.conditionalAccess;
      const own = (result.findings ?? []).filter((f) => f.policyId === subject);
      const failing = expectation ? classify(own, expectation).blocking : own.filter((f) => f.effect === "blocking");
      return failing.length > 0
        ? { ok: true, target: { kind: "ca-exclude-account", policyId: subject, accountId } }
        : no("that policy does not block the account");
    }
    case "per-user-mfa":
      return { ok: true, target: { kind: "per-user-mfa-disable", accountId } };
    case "mfa-registration":
      return { ok: true, target: { kind: "campaign-exclude-account", accountId } };
    case "password-expiry":
      return { ok: true, target: { kind: "password-never-expires", accountId, expired: /\bexpired on\b/.test(result.summary) } };
    default:
      return no(`a ${checkId} finding has no one-click fix: follow the check's steps`);
  }
}
