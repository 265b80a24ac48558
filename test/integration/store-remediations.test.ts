/**
 * The fix requests' repository on Azurite: each in its account's partition with its audit entry in
 * the same transaction, a step on a stale ETag refused (FixConflictError) with no audit entry left
 * behind, two accounts of one tenant apart, and a row this version cannot read left out and told.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore, FixConflictError, type Store } from "../../lib/store/index.js";
import type { FixRequest } from "../../lib/model/remediation.js";
import type { AuditEntry } from "../../lib/model/standing.js";
import { monitorPartition } from "../../lib/model/account.js";
import { encodeValue } from "../../lib/store/monitor/codecs/value.js";
import { TableClient } from "@azure/data-tables";
import { sampleFix } from "../support/fix.js";

const TENANT = "0a0b0c0d-0000-4000-8000-0000000000f1";
const SECOND = "abcdef012345";
const AT = "2026-03-02T08:00:00.000Z";
const MONITOR = `RemM${randomBytes(4).toString("hex")}`;
let store: Store;

const connectionString = (): string => {
  const c = process.env.AzureWebJobsStorage;
  if (!c) throw new Error("AzureWebJobsStorage is not set: run through vitest");
  return c;
};

beforeAll(() => {
  store = createStore({ kind: "connection-string", connectionString: connectionString() }, { tenantsTable: `${MONITOR}T`, monitorTable: MONITOR });
});

const fix = (id: string, accountKey: string): FixRequest => sampleFix({ id, tenantId: TENANT, accountKey, requestedAt: AT, updatedAt: AT });

const audit = (f: FixRequest, action: AuditEntry["action"], at: string, before: FixRequest | null): AuditEntry => ({
  schemaVersion: 2,
  scope: monitorPartition(f.tenantId, f.accountKey),
  at,
  by: "Ada",
  action,
  subject: `${f.findingKey} fix ${f.id}`,
  before,
  after: f,
});

describe("RemediationsRepository", () => {
  it("keeps each request in its account's partition with its audit entry, and refuses a step on a stale ETag", async () => {
    const first = fix("00000000000000a1", "");
    const second = fix("00000000000000b2", SECOND);
    await store.remediations.write(first, null, audit(first, "fix-requested", AT, null));
    await store.remediations.write(second, null, audit(second, "fix-requested", AT, null));

    expect((await store.remediations.list(TENANT, "")).map((f) => f.fix.id)).toEqual([first.id]);
    expect((await store.remediations.list(TENANT, SECOND)).map((f) => f.fix.id)).toEqual([second.id]);
    expect((await store.standings.listAudit(`${TENANT}|${SECOND}`)).map((a) => a.subject)).toEqual([`conditional-access|p fix ${second.id}`]);

    const read = await store.remediations.get(TENANT, "", first.id);
    if (!read) throw new Error("the request was not stored");
    const approved = { ...first, state: "approved" as const, approvedBy: { id: "oid-bob", name: "Bob" }, approvedAt: "2026-03-02T09:00:00.000Z" };
    await store.remediations.write(approved, read.etag, audit(approved, "fix-approved", "2026-03-02T09:00:00.000Z", first));
    // The same step again on the ETag it was first read with: someone else moved it meanwhile.
    const late = audit(approved, "fix-applied", "2026-03-02T09:30:00.000Z", first);
    await expect(store.remediations.write({ ...approved, state: "applied" }, read.etag, late)).rejects.toBeInstanceOf(FixConflictError);
    // A new request with an id already taken is refused the same way.
    await expect(store.remediations.write(first, null, audit(first, "fix-requested", "2026-03-02T10:00:00.000Z", null))).rejects.toBeInstanceOf(
      FixConflictError,
    );

    expect((await store.remediations.get(TENANT, "", first.id))?.fix.state).toBe("approved");
    // The tenant's trail spans its accounts' partitions: the second account's request is in it too.
    expect((await store.standings.listAudit(TENANT)).map((a) => a.action)).toEqual(["fix-approved", "fix-requested", "fix-requested"]);
  });

  it("a row of a newer schema is left out of the list and told, not misread", async () => {
    const newer = fix("00000000000000c3", "");
    await store.remediations.write(newer, null, audit(newer, "fix-requested", AT, null));
    // As a newer version would write it.
    const table = TableClient.fromConnectionString(connectionString(), MONITOR, { allowInsecureConnection: true });
    await table.updateEntity({ partitionKey: TENANT, rowKey: `fix|${newer.id}`, ...encodeValue({ ...newer, schemaVersion: 2 }) }, "Merge");
    const told: string[] = [];
    const listed = await store.remediations.list(TENANT, "", (row) => told.push(row.error));
    expect(listed.map((f) => f.fix.id)).not.toContain(newer.id);
    expect(told.join()).toMatch(/newer version of Drift Monitor/);
  });
});
