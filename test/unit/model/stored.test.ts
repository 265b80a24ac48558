/**
 * Every stored row kind's reader (lib/model/stored.ts): what each older version reads as, that a
 * check id this version does not know still parses, and that a newer version is refused.
 */
import { describe, expect, it } from "vitest";
import { storedAck, storedAudit, storedException, storedFix, storedOutboxAlert, storedSnapshot, storedState, storedTenant } from "../../../lib/model/stored.js";
import { NewerSchemaError, type Versioned } from "../../../lib/model/versioned.js";
import { SAMPLES, securityDefaultsFinding } from "../alerts/samples.js";
import { minimalState, openFinding } from "../../support/state.js";
import { sampleFix } from "../../support/fix.js";

const TENANT = "0a0b0c0d-0000-4000-8000-000000000001";
const alert = SAMPLES["drift-detected"]!;
/** A check no version of Drift Monitor has: what a renamed or removed check leaves in stored rows. */
const GONE = "no-such-check";

const stateWithGoneCheck = {
  ...minimalState(TENANT),
  lastReport: { ...minimalState(TENANT).lastReport, checks: [{ id: GONE, status: "fail", summary: "It failed" }] },
  findings: [openFinding(GONE, "It failed")],
};
const snapshot = {
  schemaVersion: 1,
  id: "0001",
  tenantId: TENANT,
  takenAt: "2026-01-01T00:00:00.000Z",
  report: stateWithGoneCheck.lastReport,
  factsDigest: "d",
  facts: { tenantId: TENANT, collectedAt: "2026-01-01T00:00:00.000Z", conditionalAccessPolicies: { ok: true, value: [] } },
};
/** A version-1 Tenants row: one account in plain columns. */
const tenantV1 = {
  tenantId: TENANT,
  displayName: "Contoso",
  account: "svc@contoso.com",
  accountObjectId: "0a0b0c0d-0000-4000-8000-0000000000aa",
  recipients: [],
  profile: "security-defaults-enrolled",
  enabled: true,
};
/** The same tenant at version 2: its one account is the first, key "" (the partition it always had). */
const tenantV2 = {
  tenantId: TENANT,
  displayName: "Contoso",
  recipients: [],
  enabled: true,
  accounts: [
    { key: "", ref: "svc@contoso.com", kind: "connection", profile: "security-defaults-enrolled", objectId: "0a0b0c0d-0000-4000-8000-0000000000aa" },
    { key: "0123456789ab", ref: "bg1@contoso.com", kind: "emergency-access", profile: "emergency-access", objectId: null },
  ],
};

const ACK = {
  schemaVersion: 1,
  tenantId: TENANT,
  findingKey: `${GONE}|`,
  reason: "on it",
  by: "ann",
  at: "2026-01-01T00:00:00.000Z",
  until: "2026-01-08T00:00:00.000Z",
  cause: "It failed",
  episode: "2026-01-01T00:00:00.000Z",
};
const EXCEPTION = {
  schemaVersion: 1,
  id: `check:${GONE}`,
  scope: TENANT,
  target: { kind: "check-waived", checkId: GONE },
  reason: "workload identity",
  owner: "Ann",
  reference: "CHG-1",
  expiresAt: "2026-06-01T00:00:00.000Z",
  by: "ann",
  at: "2026-01-01T00:00:00.000Z",
};

const FIX = sampleFix({
  tenantId: TENANT,
  state: "applied",
  approvedBy: { id: "oid-bob", name: "Bob" },
  approvedAt: ACK.at,
  result: { by: { id: "oid-bob", name: "Bob" }, at: ACK.at, outcome: "applied", message: "Applied", answer: { status: 204, body: null } },
});

interface Case {
  readonly kind: string;
  readonly reader: Versioned<unknown>;
  readonly current: number;
  /** Stored values of every older version, with what each reads as. */
  readonly older: readonly { readonly stored: Record<string, unknown>; readonly reads: unknown }[];
  /** A value written now. */
  readonly now: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    kind: "state",
    reader: storedState,
    current: 2,
    // Version 1 had no acknowledged or excepted findings: every version-1 state reads unchanged.
    older: [{ stored: { ...stateWithGoneCheck, schemaVersion: 1 }, reads: stateWithGoneCheck }],
    // The emergency access sign-ins already mailed: optional, so a version-2 state without them still reads.
    now: { ...stateWithGoneCheck, emergencySignIns: { mailed: [{ id: "b3c1", at: "2026-03-04T06:05:00.000Z" }], floor: null } },
  },
  { kind: "acknowledgement", reader: storedAck, current: 1, older: [], now: ACK },
  { kind: "exception", reader: storedException, current: 1, older: [], now: EXCEPTION },
  {
    kind: "audit entry",
    reader: storedAudit,
    current: 2,
    // Version 1 had no fix actions: every version-1 entry reads unchanged.
    older: [
      {
        stored: { schemaVersion: 1, scope: TENANT, at: ACK.at, by: "ann", action: "ack", subject: ACK.findingKey, before: null, after: ACK },
        reads: { schemaVersion: 2, scope: TENANT, at: ACK.at, by: "ann", action: "ack", subject: ACK.findingKey, before: null, after: ACK },
      },
    ],
    now: { schemaVersion: 2, scope: TENANT, at: ACK.at, by: "ann", action: "ack", subject: ACK.findingKey, before: null, after: ACK },
  },
  {
    kind: "outbox alert",
    reader: storedOutboxAlert,
    current: 3,
    // Version 1 had no check-retired transition, version 2 no emergency-sign-in or finding-changed: every older alert reads unchanged.
    older: [
      { stored: { ...alert, schemaVersion: 1 }, reads: alert },
      { stored: { ...alert, schemaVersion: 2 }, reads: alert },
    ],
    now: {
      ...alert,
      transitions: [
        { kind: "check-retired", key: `check-retired|${GONE}|`, finding: { ...securityDefaultsFinding, key: `${GONE}|`, checkId: GONE }, reason: "gone" },
        ...SAMPLES["emergency-sign-in"]!.transitions,
        { kind: "finding-changed", key: `finding-changed|${GONE}|x`, finding: { ...securityDefaultsFinding, key: `${GONE}|`, checkId: GONE } },
      ],
    },
  },
  { kind: "snapshot", reader: storedSnapshot, current: 1, older: [], now: snapshot },
  { kind: "fix request", reader: storedFix, current: 1, older: [], now: FIX },
  {
    kind: "Tenants row",
    reader: storedTenant,
    current: 2,
    // Rows written before the SchemaVersion column are version 1.
    older: [
      { stored: { ...tenantV1, schemaVersion: undefined }, reads: { ...tenantV2, accounts: tenantV2.accounts.slice(0, 1), schemaVersion: 2 } },
      { stored: { ...tenantV1, schemaVersion: 1 }, reads: { ...tenantV2, accounts: tenantV2.accounts.slice(0, 1), schemaVersion: 2 } },
    ],
    now: { ...tenantV2, schemaVersion: 2 },
  },
];

describe.each(CASES)("stored $kind", ({ reader, current, older, now }) => {
  it(`is written at version ${current}`, () => {
    expect(reader.current).toBe(current);
    expect(now.schemaVersion).toBe(current);
  });
  it("reads a value written now as it is, a check id this version does not know included", () => {
    expect(reader.read(now)).toEqual({ success: true, data: now });
  });
  it.each(older.map((o) => [o.stored.schemaVersion ?? "none", o] as const))("reads version %s migrated", (_, { stored, reads }) => {
    expect(reader.read(stored)).toEqual({ success: true, data: reads });
  });
  it("refuses the next version as written by a newer Drift Monitor", () => {
    expect(() => reader.read({ ...now, schemaVersion: current + 1 })).toThrow(NewerSchemaError);
  });
});
