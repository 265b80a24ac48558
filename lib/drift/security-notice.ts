/**
 * Security notice: the account's registered methods (type and id) differ from the last read. A run
 * that could not read them keeps the last known list and says nothing. The list is kept with the
 * account's object id: when the connection account changed, the new account's methods are a new
 * baseline and nothing is sent. Pure.
 */
import type { Report } from "../model/report.js";
import type { RegisteredMethod, TenantState, Transition } from "../model/state.js";
import { compareMethods, methodsFingerprint, normaliseMethods } from "./methods.js";

type Remembered = Pick<TenantState, "methods" | "methodsAccountId">;

/** `methods`: as read this run; null/undefined = not read. */
export function securityNotice(
  previous: TenantState | undefined,
  report: Report,
  methods: readonly RegisteredMethod[] | null | undefined,
): { remembered: Remembered; transitions: Transition[] } {
  const known = methods ? normaliseMethods(methods) : null;
  const accountId = report.account.id;
  // Rows written before the account was kept with the methods: the last report's account is assumed.
  const baselineAccount = previous ? (previous.methodsAccountId !== undefined ? previous.methodsAccountId : previous.lastReport.account.id) : null;
  const sameAccount = baselineAccount === null || accountId === null || baselineAccount === accountId;
  const before = previous?.methods ?? null;
  const transitions: Transition[] = [];
  if (known && before && sameAccount) {
    const { added, removed } = compareMethods(before, known);
    if (added.length > 0 || removed.length > 0) {
      transitions.push({
        kind: "security-notice",
        key: `security-notice|${methodsFingerprint(before)}>${methodsFingerprint(known)}`,
        added,
        removed,
        methods: known,
      });
    }
  }
  const methodsAccountId = known ? (accountId ?? baselineAccount) : before ? baselineAccount : null;
  return { remembered: { methods: known ?? before, methodsAccountId }, transitions };
}
