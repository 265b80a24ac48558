/**
 * The estate's consent gaps, from each tenant's last stored report (no Graph call): which tenants
 * lack which permissions the checks need, and per permission how many tenants need it granted.
 * What `doctor --all`, the dashboard and the upgrade summary show. Pure.
 */
import { missingIn } from "../checks/consent/gap.js";
import type { Report } from "../model/report.js";

export interface ConsentLine {
  readonly tenantId: string;
  readonly displayName: string;
  readonly missing: readonly string[];
}

export interface PermissionNeed {
  readonly permission: string;
  readonly tenants: number;
}

/** The tenants whose last report names a missing permission, by name. */
export function consentLines(
  tenants: readonly { readonly tenantId: string; readonly displayName: string }[],
  reportOf: (tenantId: string) => Report | undefined,
): ConsentLine[] {
  return tenants
    .map((t) => ({ tenantId: t.tenantId, displayName: t.displayName, missing: missingIn(reportOf(t.tenantId)?.checks.find((c) => c.id === "consent")) }))
    .filter((l) => l.missing.length > 0)
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Per permission, how many tenants need it granted: most first, then by name. */
export function permissionNeeds(lines: readonly ConsentLine[]): PermissionNeed[] {
  const counts = new Map<string, number>();
  for (const l of lines) for (const p of l.missing) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts]
    .map(([permission, tenants]) => ({ permission, tenants }))
    .sort((a, b) => b.tenants - a.tenants || a.permission.localeCompare(b.permission));
}

/** "3 tenants need Domain.Read.All granted": one sentence per permission. */
export function needsText(needs: readonly PermissionNeed[]): string[] {
  return needs.map((n) => `${n.tenants} ${n.tenants === 1 ? "tenant needs" : "tenants need"} ${n.permission} granted`);
}
