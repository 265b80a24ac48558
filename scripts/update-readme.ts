/** `npm run docs`: rewrites README.md's and docs/deploy.md's generated tables from the registries (scripts/readme-tables.ts, scripts/deploy-tables.ts). */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEPLOY_TABLES } from "./deploy-tables.js";
import { TABLES, withTables } from "./readme-tables.js";

for (const [file, tables] of [
  ["README.md", TABLES],
  ["docs/deploy.md", DEPLOY_TABLES],
] as const) {
  const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
  const before = readFileSync(path, "utf8");
  const after = withTables(before, tables, file);
  if (after !== before) writeFileSync(path, after);
  console.log(after === before ? `${file} is up to date` : `${file}: generated tables rewritten`);
}
