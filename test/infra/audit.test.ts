/**
 * Audited and labelled, read from infra/: resource logs of the app, the storage services and the
 * Key Vault go to the Log Analytics workspace; the optional delete lock; the operators' webhook;
 * and the tags parameter on every resource that takes tags.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ROOT, bicepFiles, objectAfter, params, stripComments } from "./bicep-text.js";

const files = bicepFiles();
const main = stripComments(files.get("infra/main.bicep") ?? "");
const audit = stripComments(files.get("infra/modules/audit.bicep") ?? "");
const alerts = stripComments(files.get("infra/modules/monitoring-alerts.bicep") ?? "");
const mainParams = params(files.get("infra/main.bicep") ?? "");
const parameterFile = z
  .object({ parameters: z.record(z.string(), z.object({ value: z.string() })) })
  .parse(JSON.parse(readFileSync(join(ROOT, "infra/main.parameters.json"), "utf8")));

/** Each `resource name 'type@version' … = … {` of a template, with its body. */
function resources(text: string): { name: string; type: string; existing: boolean; body: string }[] {
  return [...text.matchAll(/^resource (\w+) '([^@']+)@[^']+'[^\n]*(?:\{|\[\s*\n\s*for [^\n]*\{)$/gm)].map((m) => ({
    name: m[1]!,
    type: m[2]!,
    existing: /\bexisting\b/.test(m[0]),
    body: objectAfter(text.slice(m.index), /\{$/m),
  }));
}

describe("diagnostic settings", () => {
  const settings = resources(audit).filter((r) => r.type === "Microsoft.Insights/diagnosticSettings");
  const byScope = new Map(settings.map((s) => [/scope: (\S+)/.exec(s.body)?.[1], s.body]));

  it("send every one to the Log Analytics workspace that Application Insights writes to", () => {
    expect(settings.length).toBe(6);
    for (const s of settings) expect(s.body, s.name).toMatch(/workspaceId: workspaceId/);
    const wiring = objectAfter(main, /module audit 'modules\/audit\.bicep' = \{/);
    expect(wiring).toMatch(/workspaceId: monitoring\.outputs\.logAnalyticsId/);
    expect(files.get("infra/modules/monitoring.bicep")).toMatch(/output logAnalyticsId string = logs\.id/);
    for (const p of ["storageAccountName: storage.outputs.name", "keyVaultName: keyVault.outputs.name", "functionAppName: functionApp.outputs.name"])
      expect(wiring).toContain(p);
  });

  it("log the Key Vault's AuditEvent: every read of a secret", () => {
    expect(byScope.get("vault")).toMatch(/category: 'AuditEvent'\s*\n\s*enabled: true/);
  });

  it("log the function app, and every read and write of the tables (the tenant registry)", () => {
    expect(byScope.get("app")).toMatch(/categoryGroup: 'allLogs'\s*\n\s*enabled: true/);
    expect(byScope.get("storage::tables")).toMatch(/categoryGroup: 'allLogs'\s*\n\s*enabled: true/);
  });

  it("log writes and deletes of blobs and queues (their reads are the host's own polling), and the account's transactions", () => {
    expect(byScope.get("storage::blobs")).toMatch(/categoryGroup: 'audit'\s*\n\s*enabled: true/);
    expect(byScope.get("storage::queues")).toMatch(/categoryGroup: 'audit'\s*\n\s*enabled: true/);
    expect(byScope.get("storage")).toMatch(/category: 'Transaction'\s*\n\s*enabled: true/);
  });
});

describe("the delete lock", () => {
  it("is CanNotDelete on the storage account, only when STORAGE_DELETE_LOCK is on (off by default: azd down would fail)", () => {
    const [lock] = resources(audit).filter((r) => r.type === "Microsoft.Authorization/locks");
    expect(lock?.body).toMatch(/scope: storage\n/);
    expect(lock?.body).toMatch(/level: 'CanNotDelete'/);
    expect(audit).toMatch(/resource storageLock 'Microsoft\.Authorization\/locks@2020-05-01' = if \(lockStorage\)/);
    expect(mainParams.get("storageDeleteLock")).toMatchObject({ type: "bool", default: "false" });
    expect(parameterFile.parameters.storageDeleteLock?.value).toBe("${STORAGE_DELETE_LOCK=false}");
    expect(objectAfter(main, /module audit [^\n]*= \{/)).toContain("lockStorage: storageDeleteLock");
  });
});

describe("the operators' webhook", () => {
  it("is an optional secure parameter (MONITOR_ALERT_WEBHOOK_URL) the action group posts the common alert schema to", () => {
    expect(mainParams.get("monitorAlertWebhookUrl")).toMatchObject({ type: "string", default: "", secure: true });
    expect(parameterFile.parameters.monitorAlertWebhookUrl?.value).toBe("${MONITOR_ALERT_WEBHOOK_URL=}");
    expect(objectAfter(main, /module monitoringAlerts [^\n]*= \{/)).toContain("alertWebhookUrl: monitorAlertWebhookUrl");
    const group = objectAfter(alerts, /resource operators 'Microsoft\.Insights\/actionGroups@[^']+' = if \(hasReceivers\) \{/);
    expect(group).toMatch(/webhookReceivers: hasWebhook\s*\?\s*\[\s*\{\s*name: 'webhook-0'\s*serviceUri: webhookUrl\s*useCommonAlertSchema: true/);
    // A webhook alone is enough to deploy the group.
    expect(alerts).toMatch(/var hasReceivers = !empty\(emails\) \|\| hasSms \|\| hasWebhook/);
  });
});

describe("tags", () => {
  // Top-level types that take no tags in ARM: extension resources.
  const UNTAGGED = new Set([
    "Microsoft.Insights/diagnosticSettings",
    "Microsoft.Authorization/locks",
    "Microsoft.Authorization/roleAssignments",
    "Microsoft.Authorization/roleDefinitions",
  ]);

  it("are a parameter, merged under azd's own azd-env-name", () => {
    expect(mainParams.get("tags")).toMatchObject({ type: "object", default: "{}" });
    expect(main).toMatch(/var resourceTags = union\(tags, \{\s*'azd-env-name': environmentName\s*\}\)/);
    expect(main).not.toMatch(/\btags: tags\b/);
  });

  it("reach every resource that has a location (and so takes tags), in every template", () => {
    const missing: string[] = [];
    const tagged: string[] = [];
    for (const [path, text] of files) {
      for (const r of resources(stripComments(text))) {
        if (r.existing) continue;
        // The body's own keys: its least-indented lines (a loop's body sits deeper).
        const lines = r.body.split("\n").filter((l) => /^\s+\w/.test(l));
        const indent = Math.min(...lines.map((l) => /^\s*/.exec(l)![0].length));
        const top = lines.filter((l) => /^\s*/.exec(l)![0].length === indent).map((l) => l.trim());
        const has = (key: string): boolean => top.some((l) => l.startsWith(`${key}:`));
        if (has("location") && !top.some((l) => /^tags: (tags|resourceTags|union\(tags, )/.test(l))) missing.push(`${path}: ${r.name}`);
        else if (has("location")) tagged.push(r.type);
        // No location: a child resource (a/b/c, tagged with its parent) or an extension resource.
        else if (r.type.split("/").length === 2) expect(UNTAGGED, `${path}: ${r.name} (${r.type}) has no location nor tags`).toContain(r.type);
      }
    }
    expect(missing).toEqual([]);
    // Held: the loop over alert rules, the workbook, the action group, the app and its plan, storage, the vault, ACS.
    expect(tagged).toEqual(
      expect.arrayContaining([
        "Microsoft.Insights/scheduledQueryRules",
        "Microsoft.Insights/workbooks",
        "Microsoft.Insights/actionGroups",
        "Microsoft.Web/sites",
        "Microsoft.Web/serverfarms",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.KeyVault/vaults",
        "Microsoft.Communication/communicationServices",
      ]),
    );
  });

  it("are passed to every module that declares them", () => {
    for (const m of main.matchAll(/^module (\w+) '(modules\/[\w-]+\.bicep)'[^\n]*\{$/gm)) {
      const declares = params(files.get(`infra/${m[2]}`) ?? "").has("tags");
      const wiring = objectAfter(main.slice(m.index), /\{$/m);
      if (declares) expect(wiring, m[1]).toMatch(/tags: resourceTags/);
    }
  });
});
