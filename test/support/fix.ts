/** A fix request as stored, for the tests of its state machine, its reader and its repository: a Conditional Access exclusion. */
import type { FixRequest } from "../../lib/model/remediation.js";

const SAMPLE_FIX_AT = "2026-03-02T08:00:00.000Z";

export function sampleFix(changes: Partial<FixRequest> = {}): FixRequest {
  return {
    schemaVersion: 1,
    id: "0123456789abcdef",
    tenantId: "0a0b0c0d-0000-4000-8000-000000000001",
    accountKey: "",
    findingKey: "conditional-access|p",
    checkId: "conditional-access",
    plan: {
      kind: "ca-exclude-account",
      request: { method: "PATCH", version: "v1.0", url: "/identity/conditionalAccess/policies/p", body: { conditions: { users: { excludeUsers: ["a"] } } } },
      read: { method: "GET", version: "v1.0", url: "/identity/conditionalAccess/policies/p" },
      before: { conditions: { users: { excludeUsers: [] } } },
      after: { conditions: { users: { excludeUsers: ["a"] } } },
      description: "Exclude the account",
      permissions: ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
      documentation: "https://learn.microsoft.com/graph/api/conditionalaccesspolicy-update",
    },
    requestedBy: { id: "oid-ada", name: "Ada" },
    requestedAt: SAMPLE_FIX_AT,
    fourEyes: true,
    approvedBy: null,
    approvedAt: null,
    state: "pending",
    expiresAt: "2026-03-03T08:00:00.000Z",
    updatedAt: SAMPLE_FIX_AT,
    ...changes,
  };
}
