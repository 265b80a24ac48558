/** A minimal stored state for tests that need a `state` row but not a real run behind it. */
import type { Report } from "../../lib/model/report.js";
import type { TenantState, TrackedFinding } from "../../lib/model/state.js";

interface StateOptions {
  readonly version?: number;
  /** When it was written and checked. */
  readonly at?: string;
  readonly report?: Report;
}

export function minimalState(tenantId: string, options: StateOptions = {}): TenantState {
  const at = options.at ?? "2026-01-01T00:00:00.000Z";
  return {
    schemaVersion: 2,
    tenantId,
    version: options.version ?? 1,
    updatedAt: at,
    lastReport: options.report ?? {
      schemaVersion: 1,
      tenantId,
      checkedAt: at,
      profile: "strict",
      account: { id: null, userPrincipalName: "svc@contoso.com" },
      status: "drifted",
      warnings: 0,
      checks: [],
    },
    findings: [],
    consecutiveUnknown: 0,
    unknownSince: null,
    degradedAlertedAt: null,
    methods: null,
    factsDigest: null,
    lastSnapshotAt: null,
    lastSnapshotId: null,
  };
}

/** A finding open since `at` whose failure the recipients were told about (`{checkId}|{subject}`). */
export function openFinding(checkId: string, summary: string, at = "2026-01-01T00:00:00.000Z", subject = ""): TrackedFinding {
  return {
    key: `${checkId}|${subject}`,
    checkId,
    subject,
    subjectName: null,
    status: "open",
    since: at,
    lastFailedAt: at,
    lastAlertedAt: at,
    lastHeard: "failing",
    resolvedAt: null,
    flaps: 0,
    summary,
  };
}
