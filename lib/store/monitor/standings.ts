/**
 * Operators' acknowledgements and exceptions, and their audit trail (row layout: codecs/standing.ts).
 *
 * Every change is ONE transaction in the row's partition: the acknowledgement or exception,
 * written conditioned on the ETag the operator's decision was read with (created only if absent
 * when there was none), together with its audit entry. So two operators racing on one finding or
 * exception: one wins, the other gets StandingConflictError, and no audit entry tells of a change
 * that did not happen. Removing one keeps its row, marked withdrawn, so that a later approval is
 * guarded by its ETag too.
 *
 * Every check reads its tenant's standings, and every tenant inherits the same estate-wide
 * exceptions, so those are read once per process per `estateTtlMs` (one entry, shared by the
 * checks that ask meanwhile) and forgotten at once when this process writes one. Another
 * process's change is seen within the TTL: docs/acknowledgements.md says what that allows.
 */
import { odata, type TransactionAction } from "@azure/data-tables";
import { coversAccount, ESTATE_SCOPE, type Acknowledgement, type ApprovedException, type AuditEntry } from "../../model/standing.js";
import { errorMessage } from "../../errors/text.js";
import type { LazyTable } from "../connection.js";
import { statusOf, StoreError, type InvalidRow, type InvalidRowHandler } from "../errors.js";
import {
  ACK_PREFIX,
  ackRowKey,
  AUDIT_PREFIX,
  decodeAck,
  decodeAudit,
  decodeException,
  ackPartition,
  encodeAck,
  encodeAudit,
  encodeException,
  EXCEPTION_PREFIX,
  exceptionRowKey,
} from "./codecs/standing.js";
import { partitionLabel, prefixEnd, tenantPartitionsFilter } from "./keys.js";
import { monitorPartition, parseMonitorPartition } from "../../model/account.js";
import type { Row } from "./table.js";

/** Someone else changed (or created) the same acknowledgement or exception since it was read. */
export class StandingConflictError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what} was changed by someone else meanwhile: read it again and decide on what it is now`, { cause });
    this.name = "StandingConflictError";
  }
}

interface Etagged<T> {
  readonly value: T;
  readonly etag: string;
}

/**
 * What an account's run reads: its own acknowledgements, its tenant's exceptions that cover it
 * (those for every account, and those naming it) and the estate-wide ones, withdrawn ones left out.
 */
interface TenantStandings {
  readonly acks: Acknowledgement[];
  readonly exceptions: ApprovedException[];
  /** Rows among them that do not parse (their partition is `tenantId`): left out, for the run's log, `status` and the dashboard to report. */
  readonly unreadable: InvalidRow[];
}

const live = <T extends { withdrawn?: unknown }>(rows: readonly T[]): T[] => rows.filter((r) => r.withdrawn === undefined);

/** How long a process reuses the estate-wide exceptions it read (docs/acknowledgements.md). */
export const ESTATE_EXCEPTIONS_TTL_MS = 60_000;

export interface StandingsCacheOptions {
  /** 0: read them for every check. */
  readonly estateTtlMs?: number;
  /** A monotonic clock in ms, for the TTL only (nothing stored or compared across processes). */
  readonly clock?: () => number;
}

export class StandingsRepository {
  private readonly estateTtlMs: number;
  private readonly clock: () => number;
  private estate: { readonly rows: Promise<Row[]>; readonly at: number } | undefined;

  constructor(
    private readonly table: LazyTable,
    options: StandingsCacheOptions = {},
  ) {
    this.estateTtlMs = Math.max(0, options.estateTtlMs ?? ESTATE_EXCEPTIONS_TTL_MS);
    this.clock = options.clock ?? (() => performance.now());
  }

  /** The estate-wide exception rows, read again once the TTL has passed; a failed read is not kept. */
  private estateExceptionRows(): Promise<Row[]> {
    const now = this.clock();
    // A clock that went back (an injected one) counts as expired: never reuse for longer than the TTL.
    if (this.estate && now >= this.estate.at && now < this.estate.at + this.estateTtlMs) return this.estate.rows;
    const rows = this.list(ESTATE_SCOPE, EXCEPTION_PREFIX, "the estate-wide exceptions");
    if (this.estateTtlMs === 0) return rows;
    const entry = { rows, at: now };
    this.estate = entry;
    rows.catch(() => {
      if (this.estate === entry) this.estate = undefined;
    });
    return rows;
  }

  private list(partition: string, prefix: string, what: string): Promise<Row[]> {
    return this.scan(odata`PartitionKey eq ${partition} and RowKey gt ${prefix} and RowKey lt ${prefixEnd(prefix)}`, what);
  }

  private async scan(filter: string, what: string): Promise<Row[]> {
    const client = await this.table.ready();
    const out: Row[] = [];
    try {
      for await (const row of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(row);
    } catch (error) {
      throw new StoreError(`could not list ${what}`, error);
    }
    return out;
  }

  /** Rows that do not parse are left out and told to `onInvalid`: one bad row must not hide the others. */
  private decoded<T>(rows: readonly Row[], decode: (r: Row) => T, onInvalid?: InvalidRowHandler): T[] {
    const out: T[] = [];
    for (const row of rows) {
      try {
        out.push(decode(row));
      } catch (error) {
        onInvalid?.({ tenantId: String(row.partitionKey), rowKey: String(row.rowKey), error: errorMessage(error) });
      }
    }
    return out;
  }

  /** `partition`: the account's Monitor partition (lib/model/account.ts). */
  async readStandings(partition: string, onInvalid?: InvalidRowHandler): Promise<TenantStandings> {
    const { tenantId, key } = parseMonitorPartition(partition);
    const { byKey, unreadable } = await this.readAccountsStandings(tenantId, [key], onInvalid);
    return { ...(byKey.get(key) ?? { acks: [], exceptions: [] }), unreadable };
  }

  /**
   * Several accounts of one tenant (their keys): each account's acknowledgements, and the tenant's
   * and the estate's exceptions read once for all, so a bad exception row is reported once.
   */
  async readAccountsStandings(
    tenantId: string,
    keys: readonly string[],
    onInvalid?: InvalidRowHandler,
  ): Promise<{ byKey: Map<string, Omit<TenantStandings, "unreadable">>; unreadable: InvalidRow[] }> {
    const ackList = (key: string): Promise<Row[]> => {
      const partition = monitorPartition(tenantId, key);
      return this.list(partition, ACK_PREFIX, `the acknowledgements of ${partitionLabel(partition)}`);
    };
    const [acks, own, estate] = await Promise.all([
      Promise.all(keys.map(ackList)),
      this.list(tenantId, EXCEPTION_PREFIX, `the exceptions of tenant ${tenantId}`),
      this.estateExceptionRows(),
    ]);
    const unreadable: InvalidRow[] = [];
    const collect: InvalidRowHandler = (row) => {
      unreadable.push(row);
      onInvalid?.(row);
    };
    const acksOf = acks.map((rows) => live(this.decoded(rows, decodeAck, collect)));
    const exceptions = live(this.decoded([...own, ...estate], decodeException, collect));
    const byKey = new Map(keys.map((key, i) => [key, { acks: acksOf[i] ?? [], exceptions: exceptions.filter((e) => coversAccount(e, key)) }]));
    return { byKey, unreadable };
  }

  /** A scope's (tenant id or ESTATE_SCOPE) exceptions, withdrawn ones included. */
  async listExceptions(scope: string, onInvalid?: InvalidRowHandler): Promise<ApprovedException[]> {
    return this.decoded(await this.list(scope, EXCEPTION_PREFIX, `the exceptions of ${scope}`), decodeException, onInvalid);
  }

  /** A scope's audit trail, newest first: a tenant's includes its accounts' partitions (their acknowledgements' entries). */
  async listAudit(scope: string, onInvalid?: InvalidRowHandler): Promise<AuditEntry[]> {
    if (scope === ESTATE_SCOPE) return this.decoded(await this.list(scope, AUDIT_PREFIX, `the audit trail of ${scope}`), decodeAudit, onInvalid);
    const filter = `${tenantPartitionsFilter(scope)} and ` + odata`RowKey gt ${AUDIT_PREFIX} and RowKey lt ${prefixEnd(AUDIT_PREFIX)}`;
    const rows = (await this.scan(filter, `the audit trail of ${scope}`)).sort((a, b) => String(a.rowKey).localeCompare(String(b.rowKey)));
    return this.decoded(rows, decodeAudit, onInvalid);
  }

  /** Every scope's audit trail (an estate-wide export): a scan of every partition's audit rows. */
  async listAllAudit(onInvalid?: InvalidRowHandler): Promise<AuditEntry[]> {
    const rows = await this.scan(odata`RowKey gt ${AUDIT_PREFIX} and RowKey lt ${prefixEnd(AUDIT_PREFIX)}`, "the audit trail");
    return this.decoded(rows, decodeAudit, onInvalid);
  }

  /** `partition`: the account's Monitor partition. */
  async getAck(partition: string, findingKey: string): Promise<Etagged<Acknowledgement> | undefined> {
    const row = await this.table.getRow(partition, ackRowKey(findingKey), `the acknowledgement of ${findingKey} in ${partitionLabel(partition)}`);
    return row ? { value: decodeAck(row), etag: row.etag } : undefined;
  }

  async getException(scope: string, id: string): Promise<Etagged<ApprovedException> | undefined> {
    const row = await this.table.getRow(scope, exceptionRowKey(id), `the exception ${id} of ${scope}`);
    return row ? { value: decodeException(row), etag: row.etag } : undefined;
  }

  /** Writes an acknowledgement (new, renewed or withdrawn) and its audit entry; `etag` null: there was none. */
  async writeAck(ack: Acknowledgement, etag: string | null, audit: AuditEntry): Promise<void> {
    // One transaction, so one partition: the audit entry goes with the acknowledgement, in its account's (listAudit reads them all).
    const partition = ackPartition(ack);
    await this.commit(partition, [write(encodeAck(ack), etag), ["create", encodeAudit(audit, partition)]], `the acknowledgement of ${ack.findingKey}`);
  }

  /** Writes an exception (new, renewed or withdrawn) and its audit entry; `etag` null: there was none. */
  async writeException(exception: ApprovedException, etag: string | null, audit: AuditEntry): Promise<void> {
    // Forgotten once written (or failed): a check that read meanwhile must not keep the old rows for a TTL.
    const estate = exception.scope === ESTATE_SCOPE;
    try {
      await this.commit(exception.scope, [write(encodeException(exception), etag), ["create", encodeAudit(audit)]], `the exception ${exception.id}`);
    } finally {
      if (estate) this.estate = undefined;
    }
  }

  private async commit(partition: string, actions: TransactionAction[], what: string): Promise<void> {
    const client = await this.table.ready();
    try {
      await client.submitTransaction(actions);
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) throw new StandingConflictError(what, error);
      throw new StoreError(`could not write ${what} (${partition})`, error);
    }
  }
}

const write = (entity: ReturnType<typeof encodeAck>, etag: string | null): TransactionAction =>
  etag === null ? ["create", entity] : ["update", entity, "Replace", { etag }];
