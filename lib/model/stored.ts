/**
 * How each kind of stored row with a JSON body is read back: its current schema (state.ts) and the
 * migrations from every older version (versioned.ts). Adding a version: bump the schema's literal,
 * append the step from the version before here, add its row to test/unit/model/stored.test.ts.
 */
import { outboxAlertSchema, snapshotSchema, tenantStateSchema, type OutboxAlert, type Snapshot, type TenantState } from "./state.js";
import { z } from "zod";
import { storedTenantRecordSchema } from "./tenant.js";
import { versioned, type Versioned } from "./versioned.js";
import { fixRequestSchema, type FixRequest } from "./remediation.js";
import { acknowledgementSchema, approvedExceptionSchema, auditEntrySchema, type Acknowledgement, type ApprovedException, type AuditEntry } from "./standing.js";

/** The `state` row. */
export const storedState: Versioned<TenantState> = versioned({
  schema: tenantStateSchema,
  migrations: [
    // 1 → 2: 2 added the acknowledged and excepted finding states; every version-1 state is a valid version-2 state.
    (v1) => ({ ...v1 }),
  ],
});

/** An `alert|{id}` row of the outbox. */
export const storedOutboxAlert: Versioned<OutboxAlert> = versioned({
  schema: outboxAlertSchema,
  migrations: [
    // 1 → 2: 2 added the check-retired transition; every version-1 alert is a valid version-2 alert.
    (v1) => ({ ...v1 }),
    // 2 → 3: 3 added the emergency-sign-in and finding-changed transitions; every version-2 alert is a valid version-3 alert.
    (v2) => ({ ...v2 }),
  ],
});

/** A `snapshot|{ticks}` row. Version 1 is the current one. */
export const storedSnapshot: Versioned<Snapshot> = versioned({ schema: snapshotSchema, migrations: [] });

const storedTenantSchema = storedTenantRecordSchema.extend({ schemaVersion: z.literal(2) });

/** A Tenants row (plain columns, gathered by lib/store/tenants.ts). Rows without a SchemaVersion column are version 1. */
export const storedTenant: Versioned<z.output<typeof storedTenantSchema>> = versioned({
  schema: storedTenantSchema,
  migrations: [
    // 1 → 2: one account per tenant became a list; the one account is the first, key "" (its
    // Monitor partition is the tenant id, as before: nothing else moves).
    ({ account, accountObjectId, profile, ...v1 }) => ({
      ...v1,
      accounts: [{ key: "", ref: account, kind: "connection", profile: profile ?? "strict", objectId: accountObjectId ?? null }],
    }),
  ],
  unversioned: 1,
});

/** An `ack|{findingKey}` row. Version 1 is the current one. */
export const storedAck: Versioned<Acknowledgement> = versioned({ schema: acknowledgementSchema, migrations: [] });

/** An `exception|{id}` row (a tenant's partition, or the estate's). Version 1 is the current one. */
export const storedException: Versioned<ApprovedException> = versioned({ schema: approvedExceptionSchema, migrations: [] });

/** An `audit|{inverted ticks}|{n}` row. */
export const storedAudit: Versioned<AuditEntry> = versioned({
  schema: auditEntrySchema,
  migrations: [
    // 1 → 2: 2 added the fix actions and the fix request as before/after; every version-1 entry is a valid version-2 entry.
    (v1) => ({ ...v1 }),
  ],
});

/** A `fix|{id}` row. Version 1 is the current one. */
export const storedFix: Versioned<FixRequest> = versioned({ schema: fixRequestSchema, migrations: [] });
