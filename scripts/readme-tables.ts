/**
 * The README's tables that the registries know better than a person: "What it checks" from the
 * checks registry, the Graph permissions from the facts the checks read. `npm run docs` writes
 * them between their markers; test/unit/docs/readme-tables.test.ts fails when README is behind.
 */
import { REGISTRY, factsReadBy } from "../lib/checks/registry.js";
import { OPTIONAL_PERMISSIONS } from "../cli/doctor/probes.js";
import { FACTS } from "../lib/graph/facts/index.js";

export const TABLES = {
  checks: () =>
    [
      "| check | requirement | required state (profile `strict`) |",
      "|---|---|---|",
      ...REGISTRY.map((c) => `| \`${c.meta.id}\` | ${c.meta.requirement} | ${c.meta.requiredState} |`),
    ].join("\n"),
  permissions: () => {
    const byPermission = new Map<string, { reads: string[]; premium: boolean }>();
    for (const key of factsReadBy()) {
      const fact = FACTS[key];
      const entry = byPermission.get(fact.permission) ?? { reads: [], premium: false };
      entry.reads.push(fact.reads);
      entry.premium ||= fact.premium;
      byPermission.set(fact.permission, entry);
    }
    const rows = [...byPermission].map(([permission, { reads, premium }]) => {
      const licence = premium ? " (the premium reads need Entra ID P1; without it their checks are `skipped`)" : "";
      return `| \`${permission}\` | ${reads.join(", ")}${licence} |`;
    });
    const optional = OPTIONAL_PERMISSIONS.map((o) => `| \`${o.permission}\` | ${o.reads} |`);
    return ["| permission | what it reads |", "|---|---|", ...rows, ...optional].join("\n");
  },
} as const;

export type TableName = keyof typeof TABLES;

const begin = (name: string): string => `<!-- generated:${name} (npm run docs) -->`;
const end = (name: string): string => `<!-- /generated:${name} -->`;

/** README with every generated table rewritten between its markers; throws if a marker is missing. */
export function withTables(readme: string): string {
  let out = readme;
  for (const name of Object.keys(TABLES) as TableName[]) {
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${begin(name)} … ${end(name)}`);
    out = `${out.slice(0, from)}${begin(name)}\n${TABLES[name]()}\n${out.slice(to)}`;
  }
  return out;
}
