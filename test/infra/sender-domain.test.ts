/**
 * The sending domain, as Azure would get it: the communication module of the compiled main.bicep
 * rendered for each way of choosing the domain (the Azure-managed one, a custom domain the template
 * creates before and after its DNS records are verified, an existing verified domain), with the
 * resources' state stubbed as Azure reports it. Azure refuses to link an unverified domain, so the
 * custom domain is linked, and mail leaves from it, only once the operator says it is verified.
 */
import { describe, expect, it } from "vitest";
import { render, type ArmContext } from "./arm-expr.js";
import { BICEP_SKIP, compiledMain, moduleOf, resourcesOf } from "./compiled.js";

const CUSTOM = "alerts.msp.example";
const EXISTING_ID =
  "/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-mail/providers/Microsoft.Communication/emailServices/ecs-msp/domains/msp.example";
/** verificationRecords as the domain resource reports them (DomainPropertiesVerificationRecords). */
const RECORDS = {
  Domain: { type: "TXT", name: CUSTOM, value: "ms-domain-verification=0f0e", ttl: 3600 },
  SPF: { type: "TXT", name: CUSTOM, value: "v=spf1 include:spf.protection.outlook.com -all", ttl: 3600 },
  DKIM: { type: "CNAME", name: "selector1-azurecomm-prod-net._domainkey", value: "selector1-azurecomm-prod-net._domainkey.azurecomm.net", ttl: 3600 },
  DKIM2: { type: "CNAME", name: "selector2-azurecomm-prod-net._domainkey", value: "selector2-azurecomm-prod-net._domainkey.azurecomm.net", ttl: 3600 },
  DMARC: { type: "TXT", name: "_dmarc", value: "v=DMARC1; p=none;", ttl: 3600 },
};

/** What Azure reports for each resource the module reads, by the id the renderer gives it. */
function stateOf(id: string): Record<string, unknown> {
  if (id.endsWith("/AzureManagedDomain")) return { mailFromSenderDomain: "0f0e0d0c.azurecomm.net", domainManagement: "AzureManaged" };
  if (id.includes("/resourceGroups/rg-mail/") && id.endsWith("/ecs-msp/msp.example")) {
    return { mailFromSenderDomain: "msp.example", domainManagement: "CustomerManaged" };
  }
  if (id.endsWith(`/${CUSTOM}`)) {
    return { mailFromSenderDomain: CUSTOM, domainManagement: "CustomerManaged", verificationRecords: RECORDS };
  }
  const sender = /\/senderUsernames\/[^/]+\/[^/]+\/([^/]+)$/.exec(id)?.[1];
  if (sender) return { username: sender === "donotreply" ? "DoNotReply" : "drift-monitor" };
  if (id.includes("Microsoft.Communication/communicationServices")) return { hostName: "acs-x.europe.communication.azure.com" };
  throw new Error(`no stubbed state for ${id}`);
}

function renderModule(params: Record<string, unknown>): {
  created: string[];
  linked: string[];
  outputs: Record<string, unknown>;
} {
  const main = compiledMain();
  const defaults = Object.fromEntries(Object.entries(main.parameters).map(([k, p]) => [k, p.defaultValue]));
  const outer: ArmContext = {
    parameters: { ...defaults, environmentName: "prod", location: "westeurope", graphAppClientId: "11111111-1111-1111-1111-111111111111", ...params },
    variables: main.variables,
    tenantId: "22222222-2222-2222-2222-222222222222",
    outputsOf: (name) => {
      throw new Error(`the communication module reads no module output (${name})`);
    },
  };
  const module = moduleOf("communication");
  const template = module.properties!.template!;
  const inner: ArmContext = {
    parameters: Object.fromEntries(Object.entries(module.properties!.parameters!).map(([k, v]) => [k, render(v.value, outer)])),
    variables: template.variables,
    tenantId: outer.tenantId,
    outputsOf: outer.outputsOf,
    propertiesOf: stateOf,
  };
  const resources = resourcesOf(template);
  const created = resources
    .filter((r) => r.type === "Microsoft.Communication/emailServices/domains" && (r.condition === undefined || render(r.condition, inner) === true))
    .map((r) => `${String(render(r.name, inner))} ${String((r.properties as { domainManagement?: string }).domainManagement)}`);
  const acs = resources.find((r) => r.type === "Microsoft.Communication/communicationServices");
  const linked = render(acs!.properties!.linkedDomains, inner) as string[];
  const outputs = Object.fromEntries(Object.entries(template.outputs).map(([k, o]) => [k, render(o.value, inner)]));
  return { created, linked, outputs };
}

const MANAGED_ID = "/providers/Microsoft.Communication/emailServices/domains/";

describe.skipIf(BICEP_SKIP !== undefined)("the sending domain", () => {
  it("is the Azure-managed domain by default, alone", () => {
    const r = renderModule({});
    expect(r.created).toEqual([expect.stringMatching(/^ecs-\w+\/AzureManagedDomain AzureManaged$/)]);
    expect(r.linked).toEqual([expect.stringMatching(/\/AzureManagedDomain$/)]);
    expect(r.outputs).toMatchObject({
      senderAddress: "DoNotReply@0f0e0d0c.azurecomm.net",
      senderDomainManagement: "AzureManaged",
      customDomainDnsRecords: {},
      customDomainName: "",
    });
  });

  it("creates a custom domain and outputs its DNS records, but sends from the managed domain until it is verified", () => {
    const r = renderModule({ emailCustomDomain: CUSTOM, emailSenderUsername: "drift-monitor" });
    expect(r.created).toEqual([expect.stringContaining("/AzureManagedDomain AzureManaged"), expect.stringMatching(new RegExp(`/${CUSTOM} CustomerManaged$`))]);
    expect(r.linked).toEqual([expect.stringMatching(/\/AzureManagedDomain$/)]);
    expect(r.outputs).toMatchObject({ senderAddress: "DoNotReply@0f0e0d0c.azurecomm.net", senderDomainManagement: "AzureManaged", customDomainName: CUSTOM });
    expect(Object.keys(r.outputs.customDomainDnsRecords as object).sort()).toEqual(["DKIM", "DKIM2", "DMARC", "Domain", "SPF"]);
  });

  it("links the verified custom domain beside the managed one and sends from it", () => {
    const r = renderModule({ emailCustomDomain: CUSTOM, emailCustomDomainVerified: true, emailSenderUsername: "drift-monitor" });
    expect(r.linked).toEqual([expect.stringMatching(/\/AzureManagedDomain$/), expect.stringMatching(new RegExp(`${MANAGED_ID}ecs-\\w+/${CUSTOM}$`))]);
    expect(r.outputs).toMatchObject({ senderAddress: `drift-monitor@${CUSTOM}`, senderDomainManagement: "CustomerManaged" });
  });

  it("links an existing verified domain by its resource id, creates no custom one, and takes that domain's kind", () => {
    const r = renderModule({ emailDomainResourceId: EXISTING_ID, emailCustomDomain: CUSTOM, emailCustomDomainVerified: true });
    expect(r.created).toEqual([expect.stringContaining("/AzureManagedDomain AzureManaged")]);
    expect(r.linked).toEqual([expect.stringMatching(/\/AzureManagedDomain$/), EXISTING_ID]);
    expect(r.outputs).toMatchObject({ senderAddress: "DoNotReply@msp.example", senderDomainManagement: "CustomerManaged", customDomainDnsRecords: {} });
  });

  it("gives main.bicep's outputs the DNS records and the sending domain's kind", () => {
    const outputs = compiledMain().outputs;
    expect(JSON.stringify(outputs.EMAIL_DOMAIN_DNS_RECORDS?.value)).toContain("outputs.customDomainDnsRecords.value");
    expect(JSON.stringify(outputs.EMAIL_SENDING_DOMAIN_KIND?.value)).toContain("senderDomainManagement");
  });
});
