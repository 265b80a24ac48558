// Sign-in for the dashboard (functions/dashboard.ts): App Service built-in authentication
// ("Easy Auth", Microsoft.Web/sites/config 'authsettingsV2') with Entra ID, accepting tokens of
// the operator's own tenant only (the v2.0 issuer of that tenant). Anyone not signed in is sent
// to the sign-in page. The dashboard then verifies the ID token App Service forwards
// (X-MS-TOKEN-AAD-ID-TOKEN: the token store is on for that) and requires the app role
// DriftMonitor.Operator in it (lib/dashboard/access.ts).
//
// The client credential is the app's user-assigned identity as a federated identity credential
// of the sign-in's app registration, not a secret: clientSecretSettingName names the setting
// OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID, which main.bicep sets to the identity's client id
// (https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad#use-a-managed-identity-instead-of-a-secret-preview,
// as Microsoft's Flex Consumption sample Azure-Samples/remote-mcp-functions-typescript,
// infra/app/api.bicep, does). With a credential App Service redeems an authorization code for the
// tokens instead of taking an ID token alone from the implicit flow.
//
// The app registration is the operator's (docs/dashboard.md creates it with the role below and
// the federated credential); Bicep cannot create Entra app registrations without the Microsoft
// Graph extension, which the offline Bicep build here cannot restore.
//
// Flex Consumption: the plan's page no longer lists App Service authentication among its
// unsupported features (the 2024 preview's "EasyAuth isn't currently supported" is gone from the
// generally available plan's Considerations: https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#considerations).
// The dashboard still trusts nothing on the platform's word alone (see access.ts), and the guide
// checks the deployed app refuses an anonymous and a forged request before the URL is shared.
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
      // The tenants and estate APIs (functions/api.ts) are called by scripts with a function key, not by a person
      // in a browser: left out of the sign-in, or every call would be redirected to the login page.
      // A trailing /* covers the paths below (https://github.com/MicrosoftDocs/azure-docs/issues/86514,
      // answered by Microsoft; reference: GlobalValidation.excludedPaths in the authsettingsV2 template).
      excludedPaths: [
        '/api/tenants'
        '/api/tenants/*'
        '/api/estate'
        '/api/estate/*'
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
          // The name of an app setting, not a secret: it holds the identity's client id.
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          openIdIssuer: '${loginEndpoint}${tenantId}/v2.0'
        }
        login: {
          loginParameters: [
            'scope=openid profile email'
          ]
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
      // App Service passes the ID token to the app (X-MS-TOKEN-AAD-ID-TOKEN) only from its token store.
      tokenStore: {
        enabled: true
      }
      // The session lasts as long as the ID token it carries (Entra's default: an hour), so the app
      // is never handed an expired one: after it, App Service signs the person in again (silently
      // while their Entra session lasts).
      cookieExpiration: {
        convention: 'FixedTime'
        timeToExpiration: '01:00:00'
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

@description('The app role a person needs to preview, request, approve, apply or revert a fix (docs/remediation.md): add it to the same app registration and assign it only to those who may change tenants.')
output remediatorRole object = {
  allowedMemberTypes: [
    'User'
  ]
  description: 'Preview, request, approve, apply and revert Drift Monitor fixes (the remediation app makes the change).'
  displayName: 'Drift Monitor remediator'
  isEnabled: true
  value: 'DriftMonitor.Remediator'
}
