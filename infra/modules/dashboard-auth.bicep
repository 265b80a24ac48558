// Sign-in for the dashboard (functions/dashboard.ts): App Service built-in authentication
// ("Easy Auth", Microsoft.Web/sites/config 'authsettingsV2') with Entra ID, accepting tokens of
// the operator's own tenant only (the v2.0 issuer of that tenant). Anyone not signed in is sent
// to the sign-in page. The dashboard then requires the app role DriftMonitor.Operator among the
// signed-in person's roles (lib/dashboard/access.ts reads X-MS-CLIENT-PRINCIPAL).
//
// The app registration is the operator's (docs/dashboard.md creates it with the role below);
// Bicep cannot create Entra app registrations without the Microsoft Graph extension, which the
// offline Bicep build here cannot restore.
//
// CAUTION (docs/dashboard.md): Microsoft's Flex Consumption page says "EasyAuth isn't currently
// supported. Unauthenticated callers currently aren't blocked when EasyAuth is enabled in a Flex
// Consumption plan app." (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#considerations).
// That is why the dashboard stays off (403) unless dashboardClientId is given, and why the guide
// asks to verify on the deployed app that an anonymous request is redirected and a forged
// principal header is refused before the URL is shared.
// Reference: https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2
param appName string
@description('Client id of the operator\'s Entra app registration for the dashboard sign-in.')
param clientId string
@description('The operator\'s tenant: the only one whose people can sign in.')
param tenantId string
param loginEndpoint string

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      // The tenants API (functions/api.ts) is called by scripts with a function key, not by a person
      // in a browser: left out of the sign-in, or every call would be redirected to the login page.
      // A trailing /* covers the paths below (https://github.com/MicrosoftDocs/azure-docs/issues/86514,
      // answered by Microsoft; reference: GlobalValidation.excludedPaths in the authsettingsV2 template).
      excludedPaths: [
        '/api/tenants'
        '/api/tenants/*'
      ]
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

@description('The app role the dashboard requires: add it to the app registration\'s appRoles and assign it to the people who may open the dashboard.')
output appRole object = {
  allowedMemberTypes: [
    'User'
  ]
  description: 'Open the Drift Monitor dashboard and queue checks.'
  displayName: 'Drift Monitor operator'
  isEnabled: true
  value: 'DriftMonitor.Operator'
}
