/**
 * `drift-monitor doctor --all`: the estate's consent gaps from the store (each tenant's last run,
 * no Graph call): every tenant whose app lacks a permission the checks need, what it lacks and how
 * to grant it, and per permission how many tenants need it. Exits 0 when none lacks any.
 */
import { needsText, permissionNeeds, consentLines, type ConsentLine, type PermissionNeed } from "../../lib/status/consent.js";
import type { Store } from "../../lib/store/index.js";
import { renderTable } from "../table.js";

interface ConsentEstate {
  readonly ok: boolean;
  readonly tenants: readonly ConsentLine[];
  readonly needs: readonly PermissionNeed[];
  /** Tenants with a readable last report (the others were never checked, or their state is unreadable). */
  readonly checked: number;
}

export async function consentEstate(store: Pick<Store, "tenants" | "monitor">): Promise<ConsentEstate> {
  const [tenants, states] = await Promise.all([store.tenants.list({ onInvalid: () => {} }), store.monitor.listStates({ onInvalid: () => {} })]);
  const reportOf = new Map(states.map((s) => [s.tenantId, s.lastReport]));
  const lines = consentLines(tenants, (id) => reportOf.get(id));
  return { ok: lines.length === 0, tenants: lines, needs: permissionNeeds(lines), checked: tenants.filter((t) => reportOf.has(t.tenantId)).length };
}

export function formatConsentEstate(estate: ConsentEstate): string {
  if (estate.ok) return `Every checked tenant (${estate.checked}) has granted every permission the checks need.\n`;
  const table = renderTable(
    ["tenant", "tenant id", "missing", "fix"],
    estate.tenants.map((l) => [l.displayName, l.tenantId, l.missing.join(", "), `drift-monitor tenants consent --tenant ${l.tenantId}`]),
  );
  return `${needsText(estate.needs).join("\n")}\n\n${table}\nOr send each tenant's admin consent link: drift-monitor consent-url --tenant <id>.\n`;
}
