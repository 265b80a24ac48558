/**
 * Snapshots store the facts whole. Rows written before a fact existed (here: the v1 stored estate,
 * written before `roleAssignmentInstances` was read) still decode; a row written now keeps the new
 * fact as collected; and the digest sees it, so a changed schedule is a snapshot of its own.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSnapshotRow, encodeSnapshotRow } from "../../../lib/store/monitor/codecs/snapshot.js";
import { factsDigest } from "../../../lib/runner/digest.js";
import { storedEstateSchema } from "../../support/stored-estate.js";
import { facts, gaInstance, ok } from "../checks/builders.js";

const fixture = storedEstateSchema.parse(JSON.parse(readFileSync(resolve(import.meta.dirname, "../../fixtures/stored-estate/v1.json"), "utf8")));

/** A fixture row as the Tables SDK hands it to the codec: typed values unwrapped, binary as bytes. */
function asEntity(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { partitionKey: row.PartitionKey, rowKey: row.RowKey };
  for (const [k, v] of Object.entries(row)) {
    if (typeof v !== "object" || v === null) out[k] = v;
    else {
      const typed = v as { type: string; value: string };
      out[k] = typed.type === "Binary" ? new Uint8Array(Buffer.from(typed.value, "base64")) : typed.type === "Int32" ? Number(typed.value) : typed.value;
    }
  }
  return out;
}

describe("snapshots and the roleAssignmentInstances fact", () => {
  const rows = fixture.tables.Monitor!.filter((r) => String(r.RowKey).startsWith("snapshot|"));

  it("a snapshot stored before the fact existed still decodes", () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const snapshot = decodeSnapshotRow(asEntity(row), "v1 snapshot");
      expect(snapshot.facts).not.toHaveProperty("roleAssignmentInstances");
      expect(snapshot.facts).toHaveProperty("roleEligibility");
      expect(snapshot.report.checks.some((c) => c.id === "admin-role")).toBe(true);
    }
  });

  it("a snapshot written now keeps the fact whole, and the digest changes with it", () => {
    const now = facts();
    const timeBound = facts({ roleAssignmentInstances: ok([gaInstance({ endDateTime: "2026-02-01T00:00:00Z" })]) });
    expect(factsDigest(timeBound)).not.toBe(factsDigest(now));
    const old = decodeSnapshotRow(asEntity(rows[0]!), "v1 snapshot");
    const written = { ...old, factsDigest: factsDigest(timeBound), facts: timeBound };
    const read = decodeSnapshotRow(encodeSnapshotRow(old.tenantId, written), "snapshot");
    expect((read.facts as unknown as Record<string, unknown>).roleAssignmentInstances).toEqual(timeBound.roleAssignmentInstances);
  });
});
