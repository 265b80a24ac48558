/**
 * What a security reviewer signs off, read from infra/: the identity holds only the six roles it
 * needs (ALLOWED_ROLES), each on its own resource; shared keys and local auth are off everywhere; no secret is
 * in a setting or anywhere in the template.
 */
import { describe, expect, it } from "vitest";
import { bicepFiles, entries, objectAfter, params, stripComments } from "./bicep-text.js";

/**
 * Built-in role definition ids (the same in every cloud), from Microsoft's "Azure built-in roles"
 * reference: Storage (blob owner, queue and table contributors), Security (Key Vault Secrets User),
 * Monitor (Monitoring Metrics Publisher); and the custom role that only sends email.
 */
const ALLOWED_ROLES: Readonly<Record<string, { name: string; scope: RegExp }>> = {
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": { name: "Storage Blob Data Owner", scope: /^storage$/ },
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": { name: "Storage Queue Data Contributor", scope: /^storage$/ },
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": { name: "Storage Table Data Contributor", scope: /^storage$/ },
  // Not a built-in role: the custom email sender role roles.bicep defines (least privilege for sending mail).
  "emailSenderRole.id": { name: "Drift Monitor email sender (custom)", scope: /^communicationService$/ },
  "4633458b-17de-408a-b874-0445c86b69e6": { name: "Key Vault Secrets User", scope: /^vault$/ },
  "3913510d-42f4-4e42-8a64-420c390055eb": { name: "Monitoring Metrics Publisher", scope: /^appInsights$/ },
};

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const files = bicepFiles();
const all = [...files.values()].map(stripComments).join("\n");
const roles = stripComments(files.get("infra/modules/roles.bicep") ?? "");
const main = files.get("infra/main.bicep") ?? "";
const appSettings = entries(objectAfter(main, /var appSettings\s*=\s*\{/));

interface Assignment {
  name: string;
  scope: string;
  roleId: string;
  principalId: string;
  principalType: string;
  condition?: string;
}

/** Each role assignment resource: its scope, principal, condition and the role id its roleDefinitionId resolves to. */
function assignments(): Assignment[] {
  const roleVars = entries(objectAfter(roles, /var roles\s*=\s*\{/));
  const found: Assignment[] = [];
  for (const m of roles.matchAll(/resource (\w+) 'Microsoft\.Authorization\/roleAssignments@[^']+' = (?:if \((\w+)\) )?\{/g)) {
    const body = objectAfter(roles.slice(m.index), /= (?:if \(\w+\) )?\{/);
    const top = entries(body);
    const props = entries(objectAfter(body, /properties:\s*\{/));
    const ref = /roleDefinitions', roles\.(\w+)\)/.exec(props.get("roleDefinitionId") ?? "")?.[1];
    const roleId = (ref ? roleVars.get(ref) : undefined)?.replace(/'/g, "") ?? props.get("roleDefinitionId") ?? "";
    found.push({
      name: m[1]!,
      scope: top.get("scope") ?? "(none)",
      roleId,
      principalId: props.get("principalId") ?? "",
      principalType: props.get("principalType") ?? "",
      ...(m[2] ? { condition: m[2] } : {}),
    });
  }
  return found;
}

/** Built-in roles far broader than sending email; none may be assigned. */
const TOO_BROAD = {
  "09976791-48a7-449e-bb21-39d1a415f350": "Communication and Email Service Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
};

describe("role assignments", () => {
  const all = assignments();
  const list = all.filter((a) => a.principalId === "principalId");
  const operator = all.filter((a) => a.principalId === "operatorPrincipalId");

  it("go either to the app's identity (a service principal) or to the operator, nobody else", () => {
    expect(list.length + operator.length).toBe(all.length);
    for (const a of list) expect(a.principalType, a.name).toBe("'ServicePrincipal'");
    for (const a of list) expect(a.condition, a.name).toBeUndefined();
  });

  it("are exactly the six allowed roles, each on the resource it is for", () => {
    expect(list.map((a) => ALLOWED_ROLES[a.roleId]?.name ?? `unexpected role ${a.roleId}`).sort()).toEqual(
      Object.values(ALLOWED_ROLES)
        .map((r) => r.name)
        .sort(),
    );
    for (const a of list) expect(a.scope, `${a.name} (${ALLOWED_ROLES[a.roleId]?.name})`).toMatch(ALLOWED_ROLES[a.roleId]!.scope);
  });

  it("exist only in roles.bicep and name no role id outside the list", () => {
    for (const [path, text] of files) {
      const code = stripComments(text);
      if (path !== "infra/modules/roles.bicep") expect(code, path).not.toMatch(/Microsoft\.Authorization\/roleAssignments/);
      const near = [...code.matchAll(/roleDefinitions[^\n]*/g)].flatMap((m) => m[0].match(GUID) ?? []);
      for (const id of near) expect(Object.keys(ALLOWED_ROLES), `${path} uses role ${id}`).toContain(id.toLowerCase());
    }
    for (const id of entries(objectAfter(roles, /var roles\s*=\s*\{/)).values()) {
      expect(Object.keys(ALLOWED_ROLES)).toContain(id.replace(/'/g, "").toLowerCase());
    }
  });

  it("give the operator (azd's AZURE_PRINCIPAL_ID) table and queue data access on storage, and nothing else, when grantDeployerDataAccess is on", () => {
    const names = operator.map((a) => ALLOWED_ROLES[a.roleId]?.name ?? a.roleId).sort();
    expect(names).toEqual(["Storage Queue Data Contributor", "Storage Table Data Contributor"]);
    for (const a of operator) {
      expect(a.scope, a.name).toBe("storage");
      expect(a.principalType, a.name).toBe("operatorPrincipalType");
      expect(a.condition, a.name).toBe("grantOperator");
    }
    expect(roles).toMatch(/var grantOperator = grantOperatorDataAccess && !empty\(operatorPrincipalId\)/);
    const mainParams = params(main);
    expect(mainParams.get("principalId")).toMatchObject({ type: "string", default: "" });
    expect(mainParams.get("principalType")).toMatchObject({ type: "string", default: "User" });
    expect(mainParams.get("grantDeployerDataAccess")).toMatchObject({ type: "bool", default: "true" });
    expect(main).toMatch(/operatorPrincipalId: principalId\s*operatorPrincipalType: principalType\s*grantOperatorDataAccess: grantDeployerDataAccess/);
  });

  it("send email through a custom role with only the documented send actions, not Communication and Email Service Owner", () => {
    const definitions = [...roles.matchAll(/resource (\w+) 'Microsoft\.Authorization\/roleDefinitions@[^']+' = \{/g)];
    expect(definitions.map((m) => m[1])).toEqual(["emailSenderRole"]);
    const body = objectAfter(roles, /resource emailSenderRole 'Microsoft\.Authorization\/roleDefinitions@[^']+' = \{/);
    const actions = objectAfter(body, /actions:\s*\[/)
      .split("\n")
      .map((l) => l.trim().replace(/'/g, ""))
      .filter(Boolean);
    expect(actions.sort()).toEqual(
      [
        "Microsoft.Communication/CommunicationServices/Read",
        "Microsoft.Communication/CommunicationServices/Write",
        "Microsoft.Communication/EmailServices/write",
      ].sort(),
    );
    expect(body).toMatch(/dataActions: \[\]/);
    expect(body).toMatch(/type: 'CustomRole'/);
    expect(body).toMatch(/assignableScopes: \[\s*resourceGroup\(\)\.id\s*\]/);
    // Stable per resource group, so a redeploy updates the same definition.
    expect(entries(body).get("name")).toBe("guid(resourceGroup().id, 'drift-monitor-email-sender')");
    expect(objectAfter(body, /permissions:\s*\[/)).not.toMatch(/\*|listKeys|regenerateKey|delete/i);
    for (const [path, text] of files) for (const [id, name] of Object.entries(TOO_BROAD)) expect(stripComments(text), `${path} uses ${name}`).not.toContain(id);
  });

  it("go to the app's user-assigned identity", () => {
    expect(main).toMatch(/module roles 'modules\/roles\.bicep'[\s\S]*?principalId: identity\.outputs\.principalId/);
    // Nothing is granted at subscription or resource group level.
    expect(roles).not.toMatch(/targetScope\s*=\s*'subscription'/);
    for (const a of list) expect(a.scope).not.toMatch(/resourceGroup\(\)|subscription\(\)/);
  });
});

describe("keys and local authentication", () => {
  it("storage: shared-key access off, OAuth by default, no public blobs, TLS 1.2", () => {
    const storage = stripComments(files.get("infra/modules/storage.bicep") ?? "");
    expect(storage).toMatch(/allowSharedKeyAccess: false/);
    expect(storage).toMatch(/defaultToOAuthAuthentication: true/);
    expect(storage).toMatch(/allowBlobPublicAccess: false/);
    expect(storage).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(all).not.toMatch(/allowSharedKeyAccess: true/);
  });

  it("the queues and tables the product uses exist", () => {
    const storage = stripComments(files.get("infra/modules/storage.bicep") ?? "");
    for (const name of ["tenant-checks", "alerts"]) expect(storage).toMatch(new RegExp(`queues@[^']+' = \\{\\s*parent: queues\\s*name: '${name}'`));
    for (const name of ["Tenants", "Monitor"]) expect(storage).toMatch(new RegExp(`tables@[^']+' = \\{\\s*parent: tables\\s*name: '${name}'`));
  });

  it("Application Insights, Log Analytics and Communication Services: local auth off", () => {
    expect(files.get("infra/modules/monitoring.bicep")).toMatch(/DisableLocalAuth: true/);
    expect(files.get("infra/modules/monitoring.bicep")).toMatch(/disableLocalAuth: true/);
    expect(files.get("infra/modules/communication.bicep")).toMatch(/disableLocalAuth: true/);
  });

  it("Key Vault in RBAC mode, with soft delete", () => {
    const kv = stripComments(files.get("infra/modules/keyvault.bicep") ?? "");
    expect(kv).toMatch(/enableRbacAuthorization: true/);
    expect(kv).toMatch(/enableSoftDelete: true/);
    expect(kv).not.toMatch(/accessPolicies/);
  });
});

describe("redeploying after `azd down --purge`", () => {
  const kv = stripComments(files.get("infra/modules/keyvault.bicep") ?? "");
  const mainParams = params(main);

  it("Key Vault purge protection is a parameter, off by default, never hard-wired on", () => {
    expect(mainParams.get("keyVaultEnablePurgeProtection")).toMatchObject({ type: "bool", default: "false" });
    expect(all).not.toMatch(/enablePurgeProtection: true/);
    // ARM refuses false for purge protection; off is null.
    expect(kv).toMatch(/enablePurgeProtection: enablePurgeProtection \? true : null/);
    expect(stripComments(main)).toMatch(/enablePurgeProtection: keyVaultEnablePurgeProtection/);
  });

  it("the vault's name is new for each deployment of an environment, so a soft-deleted one never blocks it", () => {
    const module = objectAfter(stripComments(main), /module keyVault 'modules\/keyvault\.bicep' = \{/);
    const name = entries(objectAfter(module, /params:\s*\{/)).get("name");
    expect(name).toBe("'kv-${uniqueString(resourceToken, identity.outputs.principalId)}'");
  });
});

describe("keys and local authentication, continued", () => {
  it("the function app: Flex Consumption FC1, Node 22, the user-assigned identity everywhere, no basic-auth publishing", () => {
    const app = stripComments(files.get("infra/modules/function-app.bicep") ?? "");
    expect(app).toMatch(/tier: 'FlexConsumption'\s*name: 'FC1'/);
    expect(app).toMatch(/runtime: \{\s*name: 'node'\s*version: '22'/);
    expect(app).toMatch(/type: 'UserAssigned'/);
    expect(app).not.toMatch(/SystemAssigned/);
    expect(app).toMatch(/authentication: \{\s*type: 'UserAssignedIdentity'\s*userAssignedIdentityResourceId: identityId/);
    expect(app).toMatch(/name: 'scm'\s*properties: \{\s*allow: false/);
    expect(app).toMatch(/name: 'ftp'\s*properties: \{\s*allow: false/);
    expect(app).toMatch(/httpsOnly: true/);
  });
});

describe("secrets", () => {
  it("no key or connection string is fetched anywhere in the template", () => {
    expect(all).not.toMatch(/listKeys\(|listConnectionStrings\(|listAccountSas\(|listServiceSas\(|\.listKeys\b/i);
  });

  it("no @secure() parameter exists to be passed into settings: the only ones carry the operators' alert webhook to its action group", () => {
    const secure = [...files].flatMap(([path, text]) => [...params(text)].filter(([, p]) => p.secure).map(([name]) => `${path}: ${name}`));
    expect(secure.sort()).toEqual(["infra/main.bicep: monitorAlertWebhookUrl", "infra/modules/monitoring-alerts.bicep: alertWebhookUrl"]);
    expect([...appSettings.values()].join("\n")).not.toMatch(/monitorAlertWebhookUrl|alertWebhookUrl/);
  });

  // The PSA's credential is the operator's, stored in the vault: the settings that carry it hold a
  // reference to that secret (App Service resolves it with the identity), never the value.
  const psaSecret = /^var psaSecret = (.*)$/m.exec(main)?.[1] ?? "";
  const remediationSecret = /^var remediationSecret = (.*)$/m.exec(main)?.[1] ?? "";
  const vaultReference = (value: string): boolean => /^psaOn\.\w+ \? psaSecret : ''$/.test(value) || value === "remediationSecret";

  it("the remediation app's secret setting is a Key Vault reference, set only with its client id", () => {
    const reference = "'@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${remediationSecretName})'";
    expect(remediationSecret).toBe(`empty(remediationClientId) || empty(remediationSecretName) ? '' : ${reference}`);
    expect(appSettings.get("REMEDIATION_CLIENT_SECRET")).toBe("remediationSecret");
  });

  it("the PSA's secret settings are each a Key Vault reference to the secret the operator names", () => {
    expect(psaSecret).toBe("empty(psaSecretName) ? '' : '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${psaSecretName})'");
    for (const name of ["PSA_CONNECTWISE_PRIVATE_KEY", "PSA_AUTOTASK_SECRET", "PSA_HALO_CLIENT_SECRET"]) {
      expect(vaultReference(appSettings.get(name) ?? ""), name).toBe(true);
    }
    expect([...appSettings].filter(([, v]) => v.includes("psaSecret")).map(([n]) => n)).toHaveLength(3);
  });

  it.each([...appSettings])("%s holds nothing secret-looking", (name, value) => {
    // The exceptions: App Insights' connection string, a reference to the resource's value whose
    // instrumentation key grants nothing once local authentication is off; the PSA's Key Vault
    // references (above); ConnectWise's public key, which is half of a key pair, the user name of
    // its API member.
    const allowed = name === "APPLICATIONINSIGHTS_CONNECTION_STRING" || name === "PSA_CONNECTWISE_PUBLIC_KEY" || vaultReference(value);
    if (!allowed) expect(name).not.toMatch(/SECRET|PASSWORD$|TOKEN|_KEY$|CONNECTION_STRING$/i);
    // Literal credentials, SAS signatures, account keys, ACS access keys, bearer tokens.
    expect(value).not.toMatch(/AccountKey=|SharedAccessSignature|[?&]sig=|accesskey=|InstrumentationKey=|Bearer |eyJ[A-Za-z0-9_-]{10,}/i);
    // A long base64 blob in a literal is a key, whatever it is called.
    expect(value).not.toMatch(/'[^']*[A-Za-z0-9+/]{40,}={0,2}[^']*'/);
  });
});
