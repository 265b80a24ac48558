/**
 * The status read model: what the HTTP API (`GET /api/tenants[/{id}]`) and the CLI's `status`
 * read to show the estate or one tenant — the registrations, the latest states and the
 * dead-lettered alerts — read once here, so the two cannot drift apart in what they leave out.
 * The views each one shows are built from it: views.ts (the API), cli-views.ts (the CLI).
 *
 * A stored row that does not parse never fails the read for everyone: it is left out, collected
 * as an UnreadableRowView and told to `onUnreadable` (the API's log). A tenant whose state row is
 * unreadable is still shown, with the reason (`unreadableState`).
 */
import type { TenantState } from "../model/state.js";
import type { RegisteredTenant } from "../model/tenant.js";
import { NewerSchemaError } from "../model/versioned.js";
import { CorruptStateError, UnreadableTenantError, type DeliveryRow, type InvalidRowHandler } from "../store/index.js";

/** A stored row a status read could not parse, listed instead of failing the whole answer. */
export interface UnreadableRowView {
  readonly table: "Tenants" | "Monitor";
  readonly tenantId: string;
  readonly rowKey: string;
  readonly error: string;
}

/** What a status needs of a dead-lettered alert (DeliveryRow of lib/store, or a test's fake). */
export type DeadLetterSource = Pick<DeliveryRow, "tenantId" | "alert" | "attempts" | "lastError" | "deadLetteredAt">;

/** Where the status reads from: the store's repositories (or fakes), narrowed to the reads it makes. */
export interface StatusSources {
  readonly tenants: {
    /** Throws UnreadableTenantError when the tenant's row does not parse. */
    get(tenantId: string): Promise<RegisteredTenant | undefined>;
    /** Leaves out rows that do not parse, telling `onInvalid`. */
    list(options?: { onInvalid?: InvalidRowHandler }): Promise<RegisteredTenant[]>;
  };
  readonly monitor: {
    /** Throws CorruptStateError when the tenant's state row does not parse. */
    readState(tenantId: string): Promise<{ state: TenantState } | undefined>;
    /** Leaves out rows that do not parse, telling `onInvalid`. */
    listStates(options?: { onInvalid?: InvalidRowHandler }): Promise<TenantState[]>;
  };
  /** Dead-lettered alerts of one tenant, or of all (lib/store/monitor/outbox.ts `listDeadLettered`). */
  listDeadLettered(options: { tenantId?: string; onInvalid?: InvalidRowHandler }): Promise<readonly DeadLetterSource[]>;
  /** Told about every stored row a read had to leave out (for the log). */
  onUnreadable?(row: UnreadableRowView): void;
  /**
   * The tenant's acknowledgements and exceptions as its run reads them (lib/store/monitor/standings.ts),
   * for the rows among them that do not parse; absent: not looked at.
   */
  readStandings?(tenantId: string, onInvalid: InvalidRowHandler): Promise<unknown>;
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
      const row = { table, tenantId: r.tenantId, rowKey: r.rowKey, error: r.error };
      rows.push(row);
      sources.onUnreadable?.(row);
    };
  return { rows, tenants: handler("Tenants"), monitor: handler("Monitor") };
}

const byTableTenantRow = (a: UnreadableRowView, b: UnreadableRowView): number =>
  a.table.localeCompare(b.table) || a.tenantId.localeCompare(b.tenantId) || a.rowKey.localeCompare(b.rowKey);

function groupByTenant<T extends { tenantId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(item.tenantId, [...(out.get(item.tenantId) ?? []), item]);
  return out;
}

export interface EstateRead {
  /** Every readable registration, in the store's order (each view sorts its own way). */
  readonly tenants: readonly RegisteredTenant[];
  readonly stateOf: ReadonlyMap<string, TenantState>;
  /** Why a tenant's state row could not be read, by tenant id. */
  readonly unreadableStateOf: ReadonlyMap<string, string>;
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
  return {
    tenants,
    stateOf: new Map(states.map((s) => [s.tenantId, s])),
    unreadableStateOf: new Map(unreadable.rows.filter((r) => r.table === "Monitor" && r.rowKey === "state").map((r) => [r.tenantId, r.error])),
    deadLetteredOf: groupByTenant(dead),
    deadLetteredCount: dead.length,
    unreadable: [...unreadable.rows].sort(byTableTenantRow),
  };
}

export interface TenantRead {
  /** Undefined when not registered, or when the registration is unreadable (then in `unreadable`). */
  readonly tenant: RegisteredTenant | undefined;
  readonly state: TenantState | undefined;
  readonly deadLettered: readonly DeadLetterSource[];
  /** Rows left out, in the order they were found. */
  readonly unreadable: readonly UnreadableRowView[];
  readonly unreadableState: string | null;
}

/**
 * One tenant. With `registration: "read"` an unreadable registration is collected like any other
 * row; with a tenant given (the API looked it up first, to answer 409 for an unreadable one) it is
 * not read again.
 */
export async function readTenant(sources: StatusSources, tenantId: string, registration: "read" | RegisteredTenant): Promise<TenantRead> {
  const unreadable = collector(sources);
  const [tenant, stored, dead] = await Promise.all([
    registration !== "read"
      ? Promise.resolve(registration)
      : sources.tenants.get(tenantId).catch((error: unknown) => {
          if (!(error instanceof UnreadableTenantError)) throw error;
          unreadable.tenants({ tenantId, rowKey: tenantId, error: error.message });
          return undefined;
        }),
    sources.monitor.readState(tenantId).catch((error: unknown) => {
      if (error instanceof NewerSchemaError) unreadable.monitor({ tenantId, rowKey: "state", error: error.message });
      else if (error instanceof CorruptStateError) unreadable.monitor({ tenantId, rowKey: "state", error: error.detail });
      else throw error;
      return undefined;
    }),
    sources.listDeadLettered({ tenantId, onInvalid: unreadable.monitor }),
    sources.readStandings?.(tenantId, unreadable.monitor),
  ]);
  return {
    tenant,
    state: stored?.state,
    deadLettered: dead,
    unreadable: unreadable.rows,
    unreadableState: unreadable.rows.find((r) => r.table === "Monitor" && r.rowKey === "state")?.error ?? null,
  };
}
