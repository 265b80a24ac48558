/**
 * The consent summary's marker: the required permission set the estate was last told about, and
 * the day and sentences of that summary (so the same day's digest, sent again, says the same). One
 * row, `~digest` / `consent-required`, written with its ETag: of several workers deciding at once,
 * one writes and the others read what it wrote. A row a newer schema wrote is read as absent
 * (that version summarises), never overwritten blind: the ETag still guards it.
 */
import { z } from "zod";
import type { LazyTable } from "../connection.js";
import { isNotFound, statusOf, StoreError } from "../errors.js";
import { DIGEST_PARTITION } from "./keys.js";

const ROW_KEY = "consent-required";
const SCHEMA_VERSION = 1;

const rowSchema = z.object({
  SchemaVersion: z.literal(SCHEMA_VERSION),
  Required: z.string(),
  Day: z.string(),
  Lines: z.string(),
});

export interface ConsentSummaryMark {
  readonly required: readonly string[];
  /** The day (YYYY-MM-DD) of the digest that carried the summary. */
  readonly day: string;
  readonly lines: readonly string[];
}

const strings = z.array(z.string());

export class ConsentMarker {
  constructor(private readonly table: LazyTable) {}

  private async row(): Promise<{ mark: ConsentSummaryMark | null; etag: string | undefined }> {
    const row = await this.table.getRow(DIGEST_PARTITION, ROW_KEY, `${DIGEST_PARTITION}/${ROW_KEY}`);
    if (!row) return { mark: null, etag: undefined };
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) return { mark: null, etag: row.etag };
    const required = strings.safeParse(JSON.parse(parsed.data.Required));
    const lines = strings.safeParse(JSON.parse(parsed.data.Lines));
    if (!required.success || !lines.success) return { mark: null, etag: row.etag };
    return { mark: { required: required.data, day: parsed.data.Day, lines: lines.data }, etag: row.etag };
  }

  async read(): Promise<ConsentSummaryMark | null> {
    return (await this.row()).mark;
  }

  /**
   * Records `mark` unless another run changed the row since `seen` was read (then its mark stands):
   * what stands after the call.
   */
  async record(mark: ConsentSummaryMark): Promise<ConsentSummaryMark> {
    const { mark: before, etag } = await this.row();
    const entity = {
      partitionKey: DIGEST_PARTITION,
      rowKey: ROW_KEY,
      SchemaVersion: SCHEMA_VERSION,
      Required: JSON.stringify(mark.required),
      Day: mark.day,
      Lines: JSON.stringify(mark.lines),
    };
    const client = await this.table.ready();
    try {
      if (etag === undefined) await client.createEntity(entity);
      else await client.updateEntity(entity, "Replace", { etag });
      return mark;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412 || isNotFound(error)) return (await this.read()) ?? before ?? mark;
      throw new StoreError("could not record the consent summary", error);
    }
  }
}
