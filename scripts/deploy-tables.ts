/**
 * docs/deploy.md's permission table and `az` commands, generated from the facts' registry like
 * README's tables (scripts/readme-tables.ts): the permissions the checks need
 * (lib/graph/permissions.ts), each with Microsoft Graph's app role id (lib/graph/app-roles.ts) and
 * what it reads. `npm run docs` writes them; test/unit/docs/deploy-tables.test.ts fails when the guide is behind.
 */
import { OPTIONAL_PERMISSIONS } from "../cli/doctor/probes.js";
import { factsReadBy } from "../lib/checks/registry.js";
import { GRAPH_APP_ROLE_IDS, MICROSOFT_GRAPH_APP_ID, type GraphPermission } from "../lib/graph/app-roles.js";
import { FACTS } from "../lib/graph/facts/index.js";
import { requiredPermissions } from "../lib/graph/permissions.js";

function readsOf(permission: GraphPermission): string {
  return [
    ...new Set(
      factsReadBy()
        .filter((k) => FACTS[k].permission === permission)
        .map((k) => FACTS[k].reads),
    ),
  ].join(", ");
}

const optional = (): { permission: GraphPermission; reads: string }[] =>
  OPTIONAL_PERMISSIONS.flatMap((o) => (o.permission in GRAPH_APP_ROLE_IDS ? [{ permission: o.permission as GraphPermission, reads: o.reads }] : []));

export const DEPLOY_TABLES = {
  "deploy-permissions": () =>
    [
      "| permission | app role id | reads |",
      "|---|---|---|",
      ...requiredPermissions().map((p) => `| \`${p}\` | \`${GRAPH_APP_ROLE_IDS[p]}\` | ${readsOf(p)} |`),
      ...optional().map((o) => `| \`${o.permission}\` (optional) | \`${GRAPH_APP_ROLE_IDS[o.permission]}\` | ${o.reads} |`),
    ].join("\n"),
  "deploy-az": () =>
    [
      "```sh",
      `GRAPH=${MICROSOFT_GRAPH_APP_ID}`,
      'az ad app permission add --id "$APP_ID" --api $GRAPH --api-permissions \\',
      ...requiredPermissions().map((p, i, all) => `  ${GRAPH_APP_ROLE_IDS[p]}=Role${i < all.length - 1 ? " \\" : ""}`),
      ...optional().map(
        (o) => `# optional, ${o.permission}: az ad app permission add --id "$APP_ID" --api $GRAPH --api-permissions ${GRAPH_APP_ROLE_IDS[o.permission]}=Role`,
      ),
      "# If Drift Monitor watches your home tenant too, consent there now:",
      'az ad app permission admin-consent --id "$APP_ID"',
      "```",
    ].join("\n"),
} as const;
