/** Errors the store raises, so callers can tell "someone else wrote first" from "storage is down". */
import { errorMessage } from "../errors/text.js";

/** The state changed since it was read (412), or a first run found one already written (409). */
export class ConcurrencyError extends Error {
  constructor(
    readonly tenantId: string,
    cause: unknown,
  ) {
    super(`state of tenant ${tenantId} changed since it was read`, { cause });
    this.name = "ConcurrencyError";
  }
}

/** Storage failed (unreachable, refused, throttled past retries): the run must fail loudly. */
export class StoreError extends Error {
  constructor(message: string, cause: unknown) {
    super(`${message}: ${errorMessage(cause)}`, { cause });
    this.name = "StoreError";
  }
}

/** The HTTP status of an SDK RestError (read structurally: core-rest-pipeline is not our dependency). */
export const statusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : undefined;

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
/** 412: the row changed since the ETag that was read. */
export const isPreconditionFailed = (error: unknown): boolean => statusOf(error) === 412;

/** A stored row a list left out because it does not parse (Tenants or Monitor). */
export interface InvalidRow {
  readonly tenantId: string;
  readonly rowKey: string;
  readonly error: string;
  /** Written by a newer version of Drift Monitor (lib/model/versioned.ts): to be left as it is, not replaced. */
  readonly newer?: true;
}
/** Told about each row a list leaves out: one bad row must not hide every other tenant. */
export type InvalidRowHandler = (row: InvalidRow) => void;
