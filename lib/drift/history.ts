/**
 * The difference between two snapshots of one tenant: what the status API and the emails show
 * as "what changed". Pure. Policies are matched by id and compared by content (canonical JSON,
 * `@odata` annotations ignored), so a reordered field is not a change but any edited one is.
 */
import type { CheckStatus, TenantStatus } from "../model/report.js";
import type { Snapshot, StoredCaPolicy } from "../model/state.js";
import { canonicalJson } from "./canonical.js";

export interface PolicyRef {
  readonly id: string;
  readonly displayName: string;
}

export interface PolicyChange extends PolicyRef {
  /** The top-level fields whose content differs, e.g. ["conditions", "state"]. */
  readonly fields: readonly string[];
}

export interface SnapshotDiff {
  readonly from: { readonly id: string; readonly takenAt: string };
  readonly to: { readonly id: string; readonly takenAt: string };
  readonly status: { readonly from: TenantStatus; readonly to: TenantStatus } | null;
  /** null when either snapshot could not read the policies: nothing can be said about them. */
  readonly policies: {
    readonly appeared: readonly PolicyRef[];
    readonly changed: readonly PolicyChange[];
    readonly disappeared: readonly PolicyRef[];
  } | null;
  readonly checks: readonly { readonly id: string; readonly from: CheckStatus | null; readonly to: CheckStatus | null }[];
}

function policiesOf(s: Snapshot): readonly StoredCaPolicy[] | null {
  const fact = s.facts.conditionalAccessPolicies;
  return fact.ok ? fact.value : null;
}

function contentFields(p: StoredCaPolicy): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(p)) {
    if (key.startsWith("@odata")) continue;
    out.set(key, canonicalJson(value));
  }
  return out;
}

const byName = (a: PolicyRef, b: PolicyRef) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id);

function diffPolicies(before: readonly StoredCaPolicy[], after: readonly StoredCaPolicy[]): NonNullable<SnapshotDiff["policies"]> {
  const old = new Map(before.map((p) => [p.id, p]));
  const now = new Map(after.map((p) => [p.id, p]));
  const appeared: PolicyRef[] = [];
  const changed: PolicyChange[] = [];
  const disappeared: PolicyRef[] = [];
  for (const p of after) {
    const was = old.get(p.id);
    if (!was) {
      appeared.push({ id: p.id, displayName: p.displayName });
      continue;
    }
    const a = contentFields(was);
    const b = contentFields(p);
    const fields = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
    if (fields.length > 0) changed.push({ id: p.id, displayName: p.displayName, fields });
  }
  for (const p of before) if (!now.has(p.id)) disappeared.push({ id: p.id, displayName: p.displayName });
  return { appeared: appeared.sort(byName), changed: changed.sort(byName), disappeared: disappeared.sort(byName) };
}

/** What changed from `older` to `newer` (pass them in time order). */
export function diffSnapshots(older: Snapshot, newer: Snapshot): SnapshotDiff {
  const before = policiesOf(older);
  const after = policiesOf(newer);
  const oldChecks = new Map(older.report.checks.map((c) => [c.id, c.status]));
  const newChecks = new Map(newer.report.checks.map((c) => [c.id, c.status]));
  const ids = [...new Set([...oldChecks.keys(), ...newChecks.keys()])];
  return {
    from: { id: older.id, takenAt: older.takenAt },
    to: { id: newer.id, takenAt: newer.takenAt },
    status: older.report.status === newer.report.status ? null : { from: older.report.status, to: newer.report.status },
    policies: before && after ? diffPolicies(before, after) : null,
    checks: ids.map((id) => ({ id, from: oldChecks.get(id) ?? null, to: newChecks.get(id) ?? null })).filter((c) => c.from !== c.to),
  };
}
