/**
 * What the ticket orchestration keeps in Table Storage, beside the monitor's rows: the tenant →
 * PSA company mapping (partition `~psa-map`, one row per tenant) and each finding's ticket
 * (partition `~tickets`, one row per finding key): the PSA, the ticket id, the key written into
 * the ticket, its generation (a new ticket after a resolution or a person's close gets the next)
 * and the last event applied. Without the app's storage clock, partition `~clock` holds one row
 * this store's own clock rewrites to learn the service's time (a claim's age, claim.ts). Rows carry a schema version; a row a newer schema wrote is read as
 * unknown, never overwritten blind: every write is guarded by the ETag it was read with, so two
 * deliverers racing on one finding make one of them retry instead of both opening a ticket.
 */
import { z } from "zod";
import type { TableClient } from "@azure/data-tables";
import { LazyTable, tableClientFactory } from "../store/connection.js";
import type { StorageTarget } from "../config/settings.js";
import { isNotFound, statusOf, StoreError } from "../store/errors.js";
import { PSA_VENDORS } from "./psa/types.js";
import { StorageClock, type StorageTime } from "../store/monitor/storage-clock.js";
import { etagTime } from "../store/monitor/server-clock.js";

/** Its own table, so the monitor's table keeps to the rows its readers expect. */
const TICKETS_TABLE = "Tickets";
const MAP_PARTITION = "~psa-map";
const TICKET_PARTITION = "~tickets";
const SCHEMA_VERSION = 1;

export const tenantMappingSchema = z
  .object({
    tenantId: z
      .string()
      .trim()
      .regex(/^[0-9a-f-]{36}$/i, "tenantId is the tenant's id (a GUID)")
      .transform((s) => s.toLowerCase()),
    psa: z.enum(PSA_VENDORS, { error: `psa is one of ${PSA_VENDORS.join(", ")}` }),
    /** The company's id in the PSA, when known; otherwise its name (ConnectWise: identifier) is looked up. */
    companyId: z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, "companyId is the PSA's numeric company id")
      .optional(),
    companyName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((m) => m.companyId !== undefined || m.companyName !== undefined, "a mapping names the company by companyId or companyName");
export type TenantMapping = z.infer<typeof tenantMappingSchema>;

export interface TicketRecord {
  readonly psa: (typeof PSA_VENDORS)[number];
  readonly companyId: string;
  readonly ticketId: string;
  /** The key in the ticket (its marker): what a lookup finds it by after a crash between create and record. */
  readonly ticketKey: string;
  readonly generation: number;
  /** The ticket was closed by us at a resolution: the next drift opens the next generation. */
  readonly resolved: boolean;
  /** The idempotency keys of the latest lifecycle events applied, newest last: a redelivered event is a no-op. */
  readonly applied: readonly string[];
}

interface StoredTicket {
  readonly record: TicketRecord | null;
  /** Undefined when there is no row; a row of a newer schema has a record of null and an etag. */
  readonly etag: string | undefined;
  /**
   * When the row was last written, ms on the storage service's clock (the time the service stamps
   * in the ETag, else the entity's Timestamp): how old a claim is, whichever host made it.
   */
  readonly writtenAt?: number;
}

const ticketRow = z.object({
  SchemaVersion: z.literal(SCHEMA_VERSION),
  Psa: z.enum(PSA_VENDORS),
  CompanyId: z.string(),
  TicketId: z.string(),
  TicketKey: z.string(),
  Generation: z.number().int().min(0),
  Resolved: z.boolean(),
  Applied: z.string(),
});
const mapRow = z.object({
  SchemaVersion: z.literal(SCHEMA_VERSION),
  Psa: z.enum(PSA_VENDORS),
  CompanyId: z.string().optional(),
  CompanyName: z.string().optional(),
});

/** How many applied events a row remembers: far more than a row's redelivery window spans (a handful per finding). */
const APPLIED_KEPT = 32;
const appliedSchema = z.array(z.string());
const appliedOf = (text: string): string[] => {
  try {
    const parsed = appliedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
};

/** Another deliverer wrote the finding's row since it was read: retry the event (it re-reads). */
export class TicketConflict extends Error {
  override readonly name = "TicketConflict";
}

export class TicketStore {
  private readonly table: LazyTable;
  private readonly clock: StorageTime;
  /** `clock`: the app's storage clock where it has one (the same service, one probe); else one over this table. */
  constructor(client: TableClient, clock?: StorageTime) {
    this.table = new LazyTable(client);
    this.clock = clock ?? new StorageClock(this.table);
  }

  /** Now on the storage service's clock (ms), the clock `writtenAt` is on. */
  async serviceNow(): Promise<number> {
    return (await this.clock.now()).getTime();
  }

  async mapping(tenantId: string): Promise<TenantMapping | undefined> {
    const row = await this.table.getRow(MAP_PARTITION, tenantId.toLowerCase(), `the PSA mapping of ${tenantId}`);
    const parsed = mapRow.safeParse(row);
    if (!parsed.success) return undefined;
    const d = parsed.data;
    return {
      tenantId: tenantId.toLowerCase(),
      psa: d.Psa,
      ...(d.CompanyId && { companyId: d.CompanyId }),
      ...(d.CompanyName && { companyName: d.CompanyName }),
    };
  }

  /** Writes (replaces) each tenant's mapping. */
  async importMappings(mappings: readonly TenantMapping[]): Promise<void> {
    const client = await this.table.ready();
    for (const m of mappings) {
      const entity = {
        partitionKey: MAP_PARTITION,
        rowKey: m.tenantId,
        SchemaVersion: SCHEMA_VERSION,
        Psa: m.psa,
        CompanyId: m.companyId,
        CompanyName: m.companyName,
      };
      try {
        await client.upsertEntity(entity, "Replace");
      } catch (error) {
        throw new StoreError(`could not store the PSA mapping of ${m.tenantId}`, error);
      }
    }
  }

  async ticket(findingKey: string): Promise<StoredTicket> {
    const row = await this.table.getRow(TICKET_PARTITION, findingKey, `the ticket of finding ${findingKey}`);
    if (!row) return { record: null, etag: undefined };
    const stamped = etagTime(row.etag) ?? Date.parse(typeof row.timestamp === "string" ? row.timestamp : "");
    const writtenAt = Number.isFinite(stamped) ? { writtenAt: stamped } : {};
    const parsed = ticketRow.safeParse(row);
    if (!parsed.success) return { record: null, etag: row.etag, ...writtenAt };
    const d = parsed.data;
    return {
      record: {
        psa: d.Psa,
        companyId: d.CompanyId,
        ticketId: d.TicketId,
        ticketKey: d.TicketKey,
        generation: d.Generation,
        resolved: d.Resolved,
        applied: appliedOf(d.Applied),
      },
      etag: row.etag,
      ...writtenAt,
    };
  }

  /** Records the finding's ticket if the row is still as read (`etag`, undefined: no row); TicketConflict otherwise. */
  async record(findingKey: string, record: TicketRecord, etag: string | undefined): Promise<string> {
    const r = record;
    const entity = {
      partitionKey: TICKET_PARTITION,
      rowKey: findingKey,
      SchemaVersion: SCHEMA_VERSION,
      Psa: r.psa,
      CompanyId: r.companyId,
      TicketId: r.ticketId,
      TicketKey: r.ticketKey,
      Generation: r.generation,
      Resolved: r.resolved,
      Applied: JSON.stringify(r.applied.slice(-APPLIED_KEPT)),
    };
    const client = await this.table.ready();
    try {
      const answer = etag === undefined ? await client.createEntity(entity) : await client.updateEntity(entity, "Replace", { etag });
      return answer.etag ?? "";
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412 || isNotFound(error)) throw new TicketConflict(`the ticket row of finding ${findingKey} changed since it was read`);
      throw new StoreError(`could not record the ticket of finding ${findingKey}`, error);
    }
  }
}

export const openTicketStore = (storage: StorageTarget, table: string = TICKETS_TABLE, clock?: StorageTime): TicketStore =>
  new TicketStore(tableClientFactory(storage)(table), clock);
