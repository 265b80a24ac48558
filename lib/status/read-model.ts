/**
 * The status read model: what the HTTP API (`GET /api/tenants[/{id}]`) and the CLI's `status`
 * read to show the estate or one tenant — the registrations, the latest states and the
 * dead-lettered alerts — read once here, so the two cannot drift apart in what they leave out.
 * The views each one shows are built from it: views.ts (the API), cli-views.ts (the CLI).
 *
 * A tenant has one or more monitored accounts, each with its own Monitor partition
 * (lib/model/account.ts): states, unreadable states and dead letters are filed by account
 * (accounts.ts `accountId`, the partition), so the first account's are under the tenant id.
 *
 * A stored row that does not parse never fails the read for everyone: it is left out, collected
 * as an UnreadableRowView and told to `onUnreadable` (the API's log). A tenant whose state row is
 * unreadable is still shown, with the reason (`unreadableState`).
 */
import type { TenantState } from "../model/state.js";
import type { MonitoredAccount, RegisteredTenant } from "../model/tenant.js";
import { NewerSchemaError } from "../model/versioned.js";
import { monitorPartition } from "../model/account.js";
import { accountIdOfRow, accountOfRow, accountsOf } from "./accounts.js";
import { CorruptStateError, UnreadableTenantError, type DeliveryRow, type InvalidRowHandler } from "../store/index.js";

/** A stored row a status read could not parse, listed instead of failing the whole answer. */
export interface UnreadableRowView {
  readonly table: "Tenants" | "Monitor";
  readonly tenantId: string;
  readonly rowKey: string;
  readonly error: string;
}

/** What a status needs of a dead-lettered alert (DeliveryRow of lib/store, or a test's fake); `accountKey` absent: the first account. */
export type DeadLetterSource = Pick<DeliveryRow, "tenantId" | "alert" | "attempts" | "lastError" | "deadLetteredAt"> & {
  readonly accountKey?: string | undefined;
};

/** A stored state and the account it is of (`accountKey` absent: the first account). */
export type AccountState = TenantState & { readonly accountKey?: string | undefined };

/** Where the status reads from: the store's repositories (or fakes), narrowed to the reads it makes. */
export interface StatusSources {
  readonly tenants: {
    /** Throws UnreadableTenantError when the tenant's row does not parse. */
    get(tenantId: string): Promise<RegisteredTenant | undefined>;
    /** Leaves out rows that do not parse, telling `onInvalid`. */
    list(options?: { onInvalid?: InvalidRowHandler }): Promise<RegisteredTenant[]>;
  };
  readonly monitor: {
    /** One account's state, read from its Monitor partition; throws CorruptStateError when the row does not parse. */
    readState(partition: string): Promise<{ state: TenantState } | undefined>;
    /** Every account's state; leaves out rows that do not parse, telling `onInvalid`. */
    listStates(options?: { onInvalid?: InvalidRowHandler }): Promise<AccountState[]>;
  };
  /** Dead-lettered alerts of one tenant (`tenantId`: every account's partition), or of all (lib/store/monitor/outbox.ts `listDeadLettered`). */
  listDeadLettered(options: { tenantId?: string; onInvalid?: InvalidRowHandler }): Promise<readonly DeadLetterSource[]>;
  /** Told about every stored row a read had to leave out (for the log). */
  onUnreadable?(row: UnreadableRowView): void;
  /**
   * The acknowledgements of the tenant's accounts (their keys) and the tenant's and the estate's
   * exceptions, as its run reads them (lib/store/monitor/standings.ts), for the rows among them that
   * do not parse; absent: not looked at.
   */
  readAccountsStandings?(tenantId: string, keys: readonly string[], onInvalid: InvalidRowHandler): Promise<unknown>;
}

/** An acknowledgement or exception row (`ack|…`, `exception|…`): what a run leaves out when it does not parse. */
export const isStandingRow = (r: Pick<UnreadableRowView, "table" | "rowKey">): boolean =>
  r.table === "Monitor" && (r.rowKey.startsWith("ack|") || r.rowKey.startsWith("exception|"));

/** Collects the rows a read leaves out, and tells the sources' log about each. */
function collector(sources: StatusSources) {
  const rows: UnreadableRowView[] = [];
  const handler =
    (table: UnreadableRowView["table"]): InvalidRowHandler =>
    (r) => {
      // A Monitor row is reported by partition: name its tenant, and its account when not the first.
      const { tenantId, key } = table === "Monitor" ? accountOfRow(r) : { tenantId: r.tenantId, key: "" };
      const row = { table, tenantId, rowKey: key === "" ? r.rowKey : `${key}/${r.rowKey}`, error: r.error };
      rows.push(row);
      sources.onUnreadable?.(row);
    };
  return { rows, tenants: handler("Tenants"), monitor: handler("Monitor") };
}

const byTableTenantRow = (a: UnreadableRowView, b: UnreadableRowView): number =>
  a.table.localeCompare(b.table) || a.tenantId.localeCompare(b.tenantId) || a.rowKey.localeCompare(b.rowKey);

function groupByAccount<T extends { tenantId: string; accountKey?: string | undefined }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const id = accountIdOfRow(item);
    out.set(id, [...(out.get(id) ?? []), item]);
  }
  return out;
}

/** The account key an unreadable state row's view names (`{key}/state`, or `state` for the first account). */
const STATE_ROW = /^(?:([0-9a-f]{12})\/)?state$/;

export interface EstateRead {
  /** Every readable registration, in the store's order (each view sorts its own way). */
  readonly tenants: readonly RegisteredTenant[];
  /** Each account's state, by accounts.ts `accountId` (the first account's: by tenant id). */
  readonly stateOf: ReadonlyMap<string, AccountState>;
  /** Why an account's state row could not be read, by `accountId`. */
  readonly unreadableStateOf: ReadonlyMap<string, string>;
  /** Each account's dead-lettered alerts, by `accountId`. */
  readonly deadLetteredOf: ReadonlyMap<string, readonly DeadLetterSource[]>;
  /** Every dead-lettered alert, of registered tenants or not. */
  readonly deadLetteredCount: number;
  /** Rows left out, by table, tenant and row. */
  readonly unreadable: readonly UnreadableRowView[];
}

export async function readEstate(sources: StatusSources): Promise<EstateRead> {
  const unreadable = collector(sources);
  const [tenants, states, dead] = await Promise.all([
    sources.tenants.list({ onInvalid: unreadable.tenants }),
    sources.monitor.listStates({ onInvalid: unreadable.monitor }),
    sources.listDeadLettered({ onInvalid: unreadable.monitor }),
  ]);
  const unreadableStates = unreadable.rows.flatMap((r) => {
    const m = r.table === "Monitor" ? STATE_ROW.exec(r.rowKey) : null;
    return m ? [[monitorPartition(r.tenantId, m[1] ?? ""), r.error] as const] : [];
  });
  return {
    tenants,
    stateOf: new Map(states.map((s) => [accountIdOfRow(s), s])),
    unreadableStateOf: new Map(unreadableStates),
    deadLetteredOf: groupByAccount(dead),
    deadLetteredCount: dead.length,
    unreadable: [...unreadable.rows].sort(byTableTenantRow),
  };
}

/** One account of a tenant, with what its Monitor partition holds. */
export interface AccountRead {
  readonly account: MonitoredAccount;
  readonly state: TenantState | undefined;
  /** Why its state row could not be read; null when it could (or there is none). */
  readonly unreadableState: string | null;
  readonly deadLettered: readonly DeadLetterSource[];
}

export interface TenantRead {
  /** Undefined when not registered, or when the registration is unreadable (then in `unreadable`). */
  readonly tenant: RegisteredTenant | undefined;
  /** Its accounts in the registration's order; a tenant no longer registered: its first account's history. */
  readonly accounts: readonly AccountRead[];
  /** Rows left out, in the order they were found. */
  readonly unreadable: readonly UnreadableRowView[];
}

/** One account's state; its dead letters and standings are read once for the tenant (readTenant). */
async function readAccountState(
  sources: StatusSources,
  tenantId: string,
  account: MonitoredAccount,
  unreadable: ReturnType<typeof collector>,
): Promise<Omit<AccountRead, "deadLettered">> {
  const partition = monitorPartition(tenantId, account.key);
  let reason: string | null = null;
  const stored = await sources.monitor.readState(partition).catch((error: unknown) => {
    if (error instanceof NewerSchemaError) reason = error.message;
    else if (error instanceof CorruptStateError) reason = error.detail;
    else throw error;
    unreadable.monitor({ tenantId: partition, rowKey: "state", error: reason });
    return undefined;
  });
  return { account, state: stored?.state, unreadableState: reason };
}

/**
 * One tenant, every account of it. With `registration: "read"` an unreadable registration is
 * collected like any other row; with a tenant given (the API looked it up first, to answer 409
 * for an unreadable one) it is not read again. A tenant not registered (or unreadable) is shown
 * with its first account's partition: the history every tenant had.
 */
export async function readTenant(sources: StatusSources, tenantId: string, registration: "read" | RegisteredTenant): Promise<TenantRead> {
  const unreadable = collector(sources);
  const tenant =
    registration !== "read"
      ? registration
      : await sources.tenants.get(tenantId).catch((error: unknown) => {
          if (!(error instanceof UnreadableTenantError)) throw error;
          unreadable.tenants({ tenantId, rowKey: tenantId, error: error.message });
          return undefined;
        });
  const registered = tenant ? tenant.accounts : accountsOf(undefined);
  // The tenant id's listing spans every account's partition: one scan, split by account.
  const [reads, dead] = await Promise.all([
    Promise.all(registered.map((a) => readAccountState(sources, tenantId, a, unreadable))),
    sources.listDeadLettered({ tenantId, onInvalid: unreadable.monitor }),
    sources.readAccountsStandings?.(
      tenantId,
      registered.map((a) => a.key),
      unreadable.monitor,
    ),
  ]);
  const withDead = reads.map((r) => ({ ...r, deadLettered: dead.filter((d) => (d.accountKey ?? "") === r.account.key) }));
  const accounts = tenant ? withDead : withDead.map((r) => ({ ...r, account: accountsOf(undefined, r.state)[0] ?? r.account }));
  return { tenant, accounts, unreadable: unreadable.rows };
}
