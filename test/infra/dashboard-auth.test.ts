/**
 * The dashboard's sign-in in the template: App Service authentication (authsettingsV2) with Entra
 * ID of the operator's tenant only, everyone unauthenticated sent to sign in, the identity's
 * federated credential as its client credential (no implicit flow, no secret), the token store on
 * (the ID token the code verifies comes from it), the app role the code requires defined beside
 * it, and the dashboard left off (no DASHBOARD_TENANT_ID) unless the operator gives the sign-in's
 * app registration.
 */
import { describe, expect, it } from "vitest";
import { DASHBOARD_ROLE } from "../../lib/dashboard/access.js";
import { API_ROUTE, ESTATE_API_ROUTE } from "../../functions/handlers/api.js";
import { bicepFiles, entries, objectAfter } from "./bicep-text.js";

const files = bicepFiles();
const auth = files.get("infra/modules/dashboard-auth.bicep") ?? "";
const main = files.get("infra/main.bicep") ?? "";

describe("dashboard sign-in", () => {
  it("is App Service authentication with Entra ID of the operator's tenant, required for every request", () => {
    expect(auth).toMatch(/Microsoft\.Web\/sites\/config@[\d-]+' = \{\s*parent: app\s*name: 'authsettingsV2'/);
    expect(auth).toMatch(/requireAuthentication: true/);
    expect(auth).toMatch(/unauthenticatedClientAction: 'RedirectToLoginPage'/);
    expect(auth).toMatch(/openIdIssuer: '\$\{loginEndpoint\}\$\{tenantId\}\/v2\.0'/);
    expect(auth).toMatch(/requireHttps: true/);
  });

  it("signs in with the identity as a federated client credential, and keeps the ID token for the app", () => {
    expect(auth).toMatch(/registration: \{[^}]*clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'/);
    expect(auth).toMatch(/tokenStore: \{\s*enabled: true\s*\}/);
    // No session outlives the ID token it carries (an hour), or the dashboard would be handed an expired one.
    expect(auth).toMatch(/cookieExpiration: \{\s*convention: 'FixedTime'\s*timeToExpiration: '01:00:00'\s*\}/);
    const settings = entries(objectAfter(main, /var appSettings\s*=\s*\{/));
    expect(settings.get("OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID")).toBe("empty(dashboardClientId) ? '' : identity.outputs.clientId");
  });

  it("leaves the tenants and estate APIs (function keys, not a browser sign-in) out of the sign-in it requires of every other path", () => {
    // With requireAuthentication on the whole site, every /api/tenants call with its x-functions-key would be sent to sign in.
    const excluded = /excludedPaths: \[([^\]]*)\]/.exec(auth)?.[1] ?? "";
    expect(excluded).toContain(`'/api/${API_ROUTE.replace("/{*rest}", "")}'`);
    expect(excluded).toContain(`'/api/${API_ROUTE.replace("{*rest}", "*")}'`);
    expect(excluded).toContain(`'/api/${ESTATE_API_ROUTE.replace("/{*rest}", "")}'`);
    expect(excluded).toContain(`'/api/${ESTATE_API_ROUTE.replace("{*rest}", "*")}'`);
    expect(excluded).not.toContain("dashboard");
  });

  it("defines the app role the dashboard requires", () => {
    expect(auth).toContain(`value: '${DASHBOARD_ROLE}'`);
  });

  it("is deployed, and the dashboard switched on for the subscription's tenant, only with the sign-in's app registration", () => {
    expect(main).toMatch(/module dashboardAuth 'modules\/dashboard-auth\.bicep' = if \(!empty\(dashboardClientId\)\)/);
    expect(main).toMatch(/tenantId: subscription\(\)\.tenantId/);
    const settings = entries(objectAfter(main, /var appSettings\s*=\s*\{/));
    expect(settings.get("DASHBOARD_TENANT_ID")).toBe("empty(dashboardClientId) ? '' : subscription().tenantId");
    expect(settings.get("DASHBOARD_CLIENT_ID")).toBe("dashboardClientId");
  });
});
