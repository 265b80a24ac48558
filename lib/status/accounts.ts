/**
 * A tenant's monitored accounts as every view shows them: each account paired with what was read
 * from its Monitor partition (state, unreadable state, dead letters), in the registration's order,
 * and the tenant's status as the worst of its accounts'. Pure.
 */
import { effectiveStatus } from "../drift/standing.js";
import { monitorPartition, parseMonitorPartition } from "../model/account.js";
import type { TenantState } from "../model/state.js";
import type { MonitoredAccount, RegisteredTenant } from "../model/tenant.js";

/** The store's rows name their account by `accountKey` (absent: the first account); a row read by partition alone names it in its `tenantId`. */
interface AccountRow {
  readonly tenantId: string;
  readonly accountKey?: string | undefined;
}

/** The tenant and account key a stored row belongs to. */
export function accountOfRow(row: AccountRow): { readonly tenantId: string; readonly key: string } {
  const { tenantId, key } = parseMonitorPartition(row.tenantId);
  return { tenantId, key: row.accountKey ?? key };
}

/** The map key every view files an account's rows under: its Monitor partition. */
export const accountIdOfRow = (row: AccountRow): string => {
  const a = accountOfRow(row);
  return monitorPartition(a.tenantId, a.key);
};

/**
 * The account a tenant that is no longer registered is shown with: its first account's partition,
 * named from its last report (the history is kept, the registration is gone).
 */
function unregisteredAccount(state: TenantState | undefined): MonitoredAccount {
  const seen = state?.lastReport.account;
  return {
    key: "",
    ref: seen?.userPrincipalName ?? seen?.id ?? "(not registered)",
    kind: "connection",
    profile: state?.lastReport.profile ?? "",
    objectId: null,
  };
}

/** The accounts a view lists for a tenant: the registered ones, or the first account's history when it is not registered. */
export const accountsOf = (tenant: RegisteredTenant | undefined, firstState?: TenantState): readonly MonitoredAccount[] =>
  tenant ? tenant.accounts : [unregisteredAccount(firstState)];

export type AccountStatus = "compliant" | "drifted" | "unknown" | "not-checked" | "unreadable";

/** One account's status, the same in every view: unreadable state first, then its exceptions applied, `not-checked` before its first run. */
export function accountStatusOf(state: TenantState | undefined, unreadable: boolean): AccountStatus {
  return unreadable ? "unreadable" : state ? effectiveStatus(state) : "not-checked";
}

const RANK: Readonly<Record<AccountStatus, number>> = { drifted: 0, unreadable: 1, unknown: 2, "not-checked": 3, compliant: 4 };

/** A tenant's status is its worst account's: drifted, then unreadable, unknown, not checked; compliant only when every account is. */
export function worstStatus(statuses: readonly AccountStatus[]): AccountStatus {
  return statuses.reduce<AccountStatus>((worst, s) => (RANK[s] < RANK[worst] ? s : worst), "compliant");
}

/** The earliest of some times (ISO strings), null when none. */
export const earliest = (values: readonly (string | null | undefined)[]): string | null =>
  values.reduce<string | null>((min, v) => (v && (min === null || v < min) ? v : min), null);
