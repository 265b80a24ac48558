/** Portal links land in the customer's tenant: a partner (GDAP) administrator must not land in their own. */
import { describe, expect, it } from "vitest";
import { renderAlert } from "../../../lib/alerts/render/index.js";
import { slackPayload } from "../../../lib/alerts/render/slack.js";
import { teamsPayload } from "../../../lib/alerts/render/teams.js";
import { inTenant, inTenantText } from "../../../lib/alerts/render/tenant-links.js";
import { NOW, SAMPLES } from "./samples.js";

const T = "0f5e7a61-3c2b-4d8e-9a1f-2b3c4d5e6f70";

describe("inTenant", () => {
  it.each([
    [
      "Entra admin center blade",
      "https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/abc",
      `https://entra.microsoft.com/${T}/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/abc`,
    ],
    ["Entra admin center home", "https://entra.microsoft.com", `https://entra.microsoft.com/${T}/`],
    ["Entra, already in a tenant", `https://entra.microsoft.com/${T}/#view/X`, `https://entra.microsoft.com/${T}/#view/X`],
    [
      "Azure portal blade",
      "https://portal.azure.com/#view/Microsoft_AAD_IAM/TenantOverview",
      `https://portal.azure.com/#@${T}/view/Microsoft_AAD_IAM/TenantOverview`,
    ],
    ["Azure portal home", "https://portal.azure.com/", `https://portal.azure.com/#@${T}`],
    ["Azure portal, already in a tenant", "https://portal.azure.com/#@contoso.com/resource/x", "https://portal.azure.com/#@contoso.com/resource/x"],
    [
      "Microsoft 365 admin center page",
      "https://admin.microsoft.com/#/users",
      `https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=${T}&CSDEST=o365admincenter#/users`,
    ],
    [
      "Learn (not a portal)",
      "https://learn.microsoft.com/entra/fundamentals/security-defaults",
      "https://learn.microsoft.com/entra/fundamentals/security-defaults",
    ],
    ["a look-alike host", "https://entra.microsoft.com.example.net/#view/X", "https://entra.microsoft.com.example.net/#view/X"],
    ["http (not ours)", "http://portal.azure.com/#view/X", "http://portal.azure.com/#view/X"],
  ])("%s", (_, url, expected) => {
    expect(inTenant(url, T)).toBe(expected);
  });

  it("takes only a GUID as the tenant (nothing from tenant text reaches a URL), upper case folded", () => {
    expect(inTenant("https://entra.microsoft.com/#view/X", "contoso/../evil")).toBe("https://entra.microsoft.com/#view/X");
    expect(inTenant("https://entra.microsoft.com/#view/X", T.toUpperCase())).toBe(`https://entra.microsoft.com/${T}/#view/X`);
  });

  it("rewrites portal URLs inside a line of text, not the punctuation around them", () => {
    expect(inTenantText("Entra admin center (https://entra.microsoft.com) → Identity; see https://learn.microsoft.com/x.", T)).toBe(
      `Entra admin center (https://entra.microsoft.com/${T}/) → Identity; see https://learn.microsoft.com/x.`,
    );
  });
});

describe("rendered alerts", () => {
  const portal = /https:\/\/(?:entra\.microsoft\.com|portal\.azure\.com|admin\.microsoft\.com)[^\s"'<>)|\\]*/g;

  it.each(Object.keys(SAMPLES))("%s: every portal link in the email and the chat messages names the tenant", (kind) => {
    const alert = { ...SAMPLES[kind as keyof typeof SAMPLES]!, tenantId: T };
    const r = renderAlert(alert, { now: NOW });
    const all = [r.html, r.text, JSON.stringify(slackPayload(r.document)), JSON.stringify(teamsPayload(r.document))].join("\n");
    for (const url of all.match(portal) ?? []) expect(url).toContain(T);
  });

  it("the Conditional Access policy link opens the policy in the tenant", () => {
    const alert = { ...SAMPLES["drift-detected"]!, tenantId: T };
    const links = renderAlert(alert, { now: NOW }).document.blocks.flatMap((b) => b.links.map((l) => l.url));
    expect(links.some((u) => u.startsWith(`https://entra.microsoft.com/${T}/#view/`))).toBe(true);
  });
});
