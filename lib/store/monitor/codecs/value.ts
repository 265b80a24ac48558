/**
 * Large values in Table Storage. A property holds at most 64 KiB and an entity at most 1 MiB, and
 * a state or snapshot of a tenant with hundreds of Conditional Access policies can pass the first
 * limit, so a value is stored as gzip-compressed JSON split across binary properties
 * `Data_0..Data_{n-1}` (each ≤ 64 KiB) with `Parts = n`. It is read back whole or not at all: a
 * missing or short part is an error, never a truncated value.
 *
 * Compression makes the entity limit far away (CA policy JSON compresses ~10-20×: 300 policies
 * are tens of KiB), but it is still checked: a value that would not fit in one entity is refused
 * loudly before anything is sent.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import { NewerSchemaError, type Versioned } from "../../../model/versioned.js";

export const PART_BYTES = 64 * 1024;
/** 15 × 64 KiB = 960 KiB, leaving room under the 1 MiB entity limit for keys and plain columns. */
const MAX_PARTS = 15;
const ENCODING = "json+gzip";

export class ValueTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    what: string,
  ) {
    super(`${what} is ${bytes} bytes compressed, more than the ${MAX_PARTS * PART_BYTES} bytes one table entity can hold; refusing to store it partially`);
    this.name = "ValueTooLargeError";
  }
}

export type EncodedValue = Record<string, string | number | Uint8Array>;

export function encodeValue(value: unknown, what = "value"): EncodedValue {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error(`${what} cannot be stored: it is not JSON`);
  const packed = gzipSync(Buffer.from(json, "utf8"));
  const parts = Math.max(1, Math.ceil(packed.length / PART_BYTES));
  if (parts > MAX_PARTS) throw new ValueTooLargeError(packed.length, what);
  const out: EncodedValue = { Encoding: ENCODING, Parts: parts, Bytes: packed.length };
  for (let i = 0; i < parts; i++) {
    // A copy, not a view: the SDK base64-encodes the Uint8Array it is given, whole.
    out[`Data_${i}`] = new Uint8Array(packed.subarray(i * PART_BYTES, (i + 1) * PART_BYTES));
  }
  return out;
}

const envelopeSchema = z
  .object({
    Encoding: z.literal(ENCODING, { error: `Encoding must be "${ENCODING}"` }),
    Parts: z.number().int().min(1).max(MAX_PARTS),
    Bytes: z.number().int().nonnegative(),
  })
  .loose();

/** Joins and decompresses the parts; throws if anything is missing or does not add up. */
function decodeValue(entity: Record<string, unknown>, what = "value"): unknown {
  const env = envelopeSchema.safeParse(entity);
  if (!env.success) throw new Error(`${what}: not a stored value (${env.error.issues.map((i) => i.message).join("; ")})`);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < env.data.Parts; i++) {
    const part = entity[`Data_${i}`];
    if (!(part instanceof Uint8Array)) throw new Error(`${what}: part Data_${i} of ${env.data.Parts} is missing`);
    chunks.push(part);
  }
  const packed = Buffer.concat(chunks);
  if (packed.length !== env.data.Bytes) throw new Error(`${what}: parts hold ${packed.length} bytes, expected ${env.data.Bytes}`);
  return JSON.parse(gunzipSync(packed).toString("utf8")) as unknown;
}

/**
 * A stored value decoded, migrated from its schema version and validated: what every row kind with
 * a JSON body (state, snapshot, alert) reads through, so an unreadable row fails with the same kind
 * of message whatever it is. A row of a newer schema version throws NewerSchemaError (not an
 * unreadable row: see lib/model/versioned.ts). `maxIssues` bounds the message (the outbox keeps
 * errors short for its rows' LastError).
 */
export function decodeValidated<T>(entity: Record<string, unknown>, stored: Versioned<T>, what: string, maxIssues = 5): T {
  let parsed: z.ZodSafeParseResult<T>;
  try {
    parsed = stored.read(decodeValue(entity, what));
  } catch (error) {
    if (error instanceof NewerSchemaError) throw new NewerSchemaError(error.found, error.known, what);
    throw error;
  }
  if (!parsed.success) {
    throw new Error(
      `${what} is invalid: ${parsed.error.issues
        .slice(0, maxIssues)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  }
  return parsed.data;
}
