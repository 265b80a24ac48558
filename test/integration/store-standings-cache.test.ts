/**
 * The estate-wide exceptions each process reuses for a TTL (lib/store/monitor/standings.ts): two
 * stores on one Azurite stand for two processes, with a clock the test moves. A process sees its
 * own change at once and another's within the TTL; checks that ask together share one query.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { tallyTableOps } from "../../bench/table-ops.js";
import { ESTATE_SCOPE, type ApprovedException, type AuditEntry } from "../../lib/model/standing.js";
import { createStore, ESTATE_EXCEPTIONS_TTL_MS, type Store } from "../../lib/store/index.js";
import { connectionString, tables, target } from "./store-helpers.js";

const AT = "2026-03-02T08:00:00.000Z";

function estateWaiver(checkId: string, withdrawn?: { by: string; at: string }): ApprovedException {
  return {
    schemaVersion: 1,
    id: `check:${checkId}`,
    scope: ESTATE_SCOPE,
    target: { kind: "check-waived", checkId },
    reason: "estate standard",
    owner: "MSP",
    reference: "POL-1",
    expiresAt: "2026-09-01T00:00:00.000Z",
    by: "ann@msp.example",
    at: AT,
    ...(withdrawn ? { withdrawn } : {}),
  };
}

const auditOf = (e: ApprovedException, before: ApprovedException | null): AuditEntry => ({
  schemaVersion: 2,
  scope: e.scope,
  at: e.withdrawn?.at ?? e.at,
  by: e.withdrawn?.by ?? e.by,
  action: e.withdrawn ? "exception-removed" : "exception-approved",
  subject: e.id,
  before,
  after: e,
});

/** Two processes' stores on the same tables, each with its own cache, on the test's clock. */
function twoProcesses(ttlMs?: number): { a: Store; b: Store; advance: (ms: number) => void } {
  let now = 1_000;
  const t = tables();
  const estateExceptions = { clock: () => now, ...(ttlMs !== undefined ? { estateTtlMs: ttlMs } : {}) };
  return {
    a: createStore(target(), { ...t, estateExceptions }),
    b: createStore(target(), { ...t, estateExceptions }),
    advance: (ms) => void (now += ms),
  };
}

const waived = async (s: Store, tenantId: string): Promise<string[]> => (await s.standings.readStandings(tenantId)).exceptions.map((e) => e.id);

let tally: ReturnType<typeof tallyTableOps> | undefined;
afterEach(() => tally?.stop());

describe("the estate-wide exceptions a process reuses", () => {
  it("are another process's change only after the TTL; this process's own change at once", async () => {
    const { a, b, advance } = twoProcesses();
    const tenant = randomUUID();
    expect(await waived(a, tenant)).toEqual([]);

    const sd = estateWaiver("security-defaults");
    await b.standings.writeException(sd, null, auditOf(sd, null));
    expect(await waived(b, tenant)).toEqual(["check:security-defaults"]);
    advance(ESTATE_EXCEPTIONS_TTL_MS - 1);
    expect(await waived(a, tenant), "within the TTL, a still has what it read").toEqual([]);
    advance(1);
    expect(await waived(a, tenant)).toEqual(["check:security-defaults"]);

    // Removed by a: gone for a at once; b, which read it, applies it until its TTL has passed.
    const stored = await a.standings.getException(ESTATE_SCOPE, sd.id);
    const removed = estateWaiver("security-defaults", { by: "bob@msp.example", at: "2026-03-02T09:00:00.000Z" });
    await b.standings.readStandings(tenant);
    await a.standings.writeException(removed, stored!.etag, auditOf(removed, sd));
    expect(await waived(a, tenant)).toEqual([]);
    expect(await waived(b, tenant)).toEqual(["check:security-defaults"]);
    advance(ESTATE_EXCEPTIONS_TTL_MS);
    expect(await waived(b, tenant)).toEqual([]);
  });

  it("are one query for the checks that ask together, and one per TTL after; a TTL of 0 reads each time", async () => {
    const { a, advance } = twoProcesses();
    tally = tallyTableOps(tableEndpoint());
    await Promise.all(Array.from({ length: 8 }, () => a.standings.readStandings(randomUUID())));
    expect(tally.snapshot()).toMatchObject({ standingsReads: 8 * 2 + 1, estateExceptionReads: 1 });
    await a.standings.readStandings(randomUUID());
    expect(tally.snapshot().estateExceptionReads).toBe(1);
    advance(ESTATE_EXCEPTIONS_TTL_MS);
    await a.standings.readStandings(randomUUID());
    expect(tally.snapshot().estateExceptionReads).toBe(2);

    const { a: uncached } = twoProcesses(0);
    await Promise.all(Array.from({ length: 3 }, () => uncached.standings.readStandings(randomUUID())));
    expect(tally.snapshot().estateExceptionReads).toBe(5);
  });
});

function tableEndpoint(): string {
  const url = /TableEndpoint=([^;]+)/.exec(connectionString())?.[1];
  if (!url) throw new Error("the test's storage has no TableEndpoint");
  return url;
}
