// The function app's settings, whole: this resource replaces the app's settings with exactly
// these on every deployment, so each one comes from main.bicep (a parameter or what the template
// creates) and `azd provision` again changes nothing. A module of its own, after the app, because
// some settings are the app's own properties (its host name in DASHBOARD_URL).
param appName string
@description('Every app setting, as one object (main.bicep\'s appSettings, which test/infra holds against lib/config/names.ts).')
param appSettings object

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: appSettings
}
