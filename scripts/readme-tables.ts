/**
 * The README's tables that the registries know better than a person: "What it checks" from the
 * checks registry, the Graph permissions from the facts the checks read. `npm run docs` writes
 * them between their markers; test/unit/docs/readme-tables.test.ts fails when README is behind.
 */
import { REGISTRY, factsReadBy } from "../lib/checks/registry.js";
import { SEVERITY_LABEL } from "../lib/checks/severity.js";
import { OPTIONAL_PERMISSIONS } from "../cli/doctor/probes.js";
import { FACTS, licenceNeeded, type Licence } from "../lib/graph/facts/index.js";

/** What a tenant without the licence loses, as the permissions table says it. */
const WITHOUT_LICENCE: Readonly<Record<Licence, string>> = {
  "Entra ID P1": "without Entra ID P1 their checks are `skipped`",
  "Entra ID P2": "without Entra ID P2 their checks are `skipped`",
  "Entra ID P2 (Identity Protection)": "without Entra ID P2 their checks are `skipped`",
};

/** Where a permission's licence gap means something else than skipped checks. */
const WITHOUT_LICENCE_FOR: Readonly<Record<string, string>> = {
  "RoleManagement.Read.Directory":
    "without Entra ID P2 `admin-role` still judges the active assignments, but cannot say a role is only PIM-eligible, time-bound or an activation",
};

export const TABLES = {
  checks: () =>
    [
      "| check | requirement | required state (profile `strict`) | severity |",
      "|---|---|---|---|",
      ...REGISTRY.map((c) => `| \`${c.meta.id}\` | ${c.meta.requirement} | ${c.meta.requiredState} | ${SEVERITY_LABEL[c.meta.severity]} |`),
    ].join("\n"),
  permissions: () => {
    const byPermission = new Map<string, { reads: string[]; licences: Set<Licence> }>();
    for (const key of factsReadBy()) {
      const fact = FACTS[key];
      const entry = byPermission.get(fact.permission) ?? { reads: [], licences: new Set<Licence>() };
      entry.reads.push(fact.licence ? `${fact.reads} (needs ${licenceNeeded(fact.licence)})` : fact.reads);
      if (fact.licence) entry.licences.add(fact.licence);
      byPermission.set(fact.permission, entry);
    }
    const rows = [...byPermission].map(([permission, { reads, licences }]) => {
      const without = [...licences].map((l) => `; ${WITHOUT_LICENCE_FOR[permission] ?? WITHOUT_LICENCE[l]}`).join("");
      return `| \`${permission}\` | ${reads.join(", ")}${without} |`;
    });
    const optional = OPTIONAL_PERMISSIONS.map((o) => `| \`${o.permission}\` | ${o.reads} |`);
    return ["| permission | what it reads |", "|---|---|", ...rows, ...optional].join("\n");
  },
} as const;

const begin = (name: string): string => `<!-- generated:${name} (npm run docs) -->`;
const end = (name: string): string => `<!-- /generated:${name} -->`;

/** The text with every generated table rewritten between its markers (README's by default); throws if a marker is missing. */
export function withTables(text: string, tables: Readonly<Record<string, () => string>> = TABLES, file = "README.md"): string {
  let out = text;
  for (const [name, table] of Object.entries(tables)) {
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`${file} lacks the markers ${begin(name)} … ${end(name)}`);
    out = `${out.slice(0, from)}${begin(name)}\n${table()}\n${out.slice(to)}`;
  }
  return out;
}
