// Drift Monitor for `azd up`: a Flex Consumption function app with one user-assigned identity and
// no secrets anywhere. Graph is read in each customer tenant through the multi-tenant app
// registration, which trusts the identity with a federated credential (docs/deploy.md); storage,
// email and telemetry take the identity directly.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

// Regions that offer Flex Consumption: the list of Microsoft's Flex Consumption azd quickstart
// (Azure-Samples/functions-quickstart-typescript-azd, infra/main.bicep), less its canary region
// eastus2euap. Flex Consumption reaches new regions over time: before adding one, check it with
// `az functionapp list-flexconsumption-locations -o table`.
@minLength(1)
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
@description('Region of the resource group and the regional resources; only regions that offer Flex Consumption.')
param location string

@minLength(36)
@maxLength(36)
@description('AZURE_CLIENT_ID: application (client) id of the multi-tenant app registration that customer tenants consent to.')
param graphAppClientId string

@description('ALERT_TO: addresses that receive every alert, comma-separated (each tenant adds its own).')
param alertTo string = ''

@description('DRIFT_SCHEDULE: NCRONTAB (six fields) of the check run.')
param driftSchedule string = '0 */30 * * * *'

@description('DIGEST_SCHEDULE: NCRONTAB (six fields) of the daily digest.')
param digestSchedule string = '0 0 7 * * *'

@minValue(1)
@description('SIGNIN_LOOKBACK_HOURS: how far back sign-ins are read.')
param signInLookbackHours int = 24

@allowed([
  'strict'
  'security-defaults-enrolled'
])
@description('DEFAULT_PROFILE: the profile of tenants that name none.')
param defaultProfile string = 'strict'

@minValue(1)
@description('REMINDER_HOURS: hours a failing finding waits before its reminder.')
param reminderHours int = 24

@minValue(1)
@description('UNKNOWN_ALERT_AFTER: consecutive unknown runs before "monitoring degraded".')
param unknownAlertAfter int = 3

@minValue(1)
@description('SNAPSHOT_RETENTION_DAYS: snapshots older than this are removed.')
param snapshotRetentionDays int = 90

@minValue(1)
@maxValue(100)
@description('ALERT_MAX_ATTEMPTS: delivery attempts before an alert is dead-lettered.')
param alertMaxAttempts int = 8

@description('Client id of the operator\'s Entra app registration for the dashboard\'s sign-in (docs/dashboard.md); empty: the dashboard stays off (403).')
param dashboardClientId string = ''

@minValue(1)
@description('CHECK_LEASE_MINUTES: how long a queued check keeps its tenant from being queued again; must outlive the host\'s retries of one check.')
param checkLeaseMinutes int = 45

@description('GRAPH_ENDPOINT: Microsoft Graph (another cloud: e.g. https://graph.microsoft.us).')
param graphEndpoint string = 'https://graph.microsoft.com'

@description('AZURE_AUTHORITY_HOST: the token authority (another cloud: e.g. https://login.microsoftonline.us).')
#disable-next-line no-hardcoded-env-urls // The code's own default, held equal to it by test/infra (environment() gives it with a trailing slash); another cloud sets this parameter.
param azureAuthorityHost string = 'https://login.microsoftonline.com'

// Communication Services' data locations (a geography, not a region; fixed once created).
@allowed([
  'Africa'
  'Asia Pacific'
  'Australia'
  'Brazil'
  'Canada'
  'Europe'
  'France'
  'Germany'
  'India'
  'Japan'
  'Korea'
  'Norway'
  'Switzerland'
  'UAE'
  'UK'
  'United States'
])
@description('EMAIL_DATA_LOCATION: where Communication Services keeps email data at rest. Cannot be changed after the first deployment.')
param emailDataLocation string = 'United States'

@description('Display name of the DoNotReply sender.')
param senderDisplayName string = 'Drift Monitor'

@description('AZURE_PRINCIPAL_ID (set by azd): the signed-in operator, granted table and queue data access when grantDeployerDataAccess is on. Empty: no operator roles.')
param principalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
@description('AZURE_PRINCIPAL_TYPE: what principalId is; ServicePrincipal when azd runs signed in as one (a pipeline).')
param principalType string = 'User'

@description('GRANT_DEPLOYER_DATA_ACCESS: give principalId Storage Table Data Contributor and Storage Queue Data Contributor on the storage account, so the CLI can register tenants in production.')
param grantDeployerDataAccess bool = true

@description('KEY_VAULT_PURGE_PROTECTION: purge protection on the vault. Off by default, so `azd down --purge` removes everything; on, a deleted vault is kept 90 days (the next `azd up` gets a vault of another name either way).')
param keyVaultEnablePurgeProtection bool = false

@description('RESTRICT_NETWORK_ACCESS: storage and Key Vault refuse the internet (firewall default Deny) and admit the function app through a virtual network it integrates with (service endpoints), plus allowedIpAddresses. Off by default. docs/deploy.md has the trade-offs.')
param restrictNetworkAccess bool = false

@description('ALLOWED_IP_ADDRESSES: with restrictNetworkAccess, public IPv4 addresses or CIDR ranges, comma-separated, that may still reach storage and Key Vault (the operator running the CLI).')
param allowedIpAddresses string = ''

@description('ALERT_EMAIL: operator addresses, comma-separated, that Azure Monitor tells when Drift Monitor itself fails (not through Communication Services). Empty, with no SMS: the alert rules fire in the portal only (docs/monitoring.md).')
param alertEmail string = ''

@description('ALERT_SMS_COUNTRY_CODE: country calling code of alertSmsNumber, digits only (1: US and Canada).')
param alertSmsCountryCode string = '1'

@description('ALERT_SMS_NUMBER: operator phone number for the same alerts by SMS, digits only, without the country code. Empty: no SMS.')
param alertSmsNumber string = ''

@allowed([
  'PT1H'
  'PT2H'
  'PT3H'
  'PT4H'
  'PT5H'
  'PT6H'
])
@description('MISSED_SCHEDULE_WINDOW: two DRIFT_SCHEDULE periods, rounded up to whole hours (PT1H for the default every 30 minutes): no successful scheduled run, or a tenant late throughout, for this long is alerted.')
param missedScheduleWindow string = 'PT1H'

@secure()
@description('MONITOR_ALERT_WEBHOOK_URL: HTTPS URL that Azure Monitor also posts its alerts on Drift Monitor itself to (common alert schema: an on-call tool, a Logic App, a Teams workflow). Empty: no webhook.')
param monitorAlertWebhookUrl string = ''

@description('STORAGE_DELETE_LOCK: a CanNotDelete lock on the storage account that holds the tenant registry. Off by default: with it on, `azd down` fails until the lock is deleted by hand (docs/monitoring.md#delete-lock).')
param storageDeleteLock bool = false

@description('Tags added to every resource that takes tags (azd-env-name is always added). Set in infra/main.parameters.json, e.g. "tags": { "value": { "costCenter": "1234" } }.')
param tags object = {}

@minValue(40)
@maxValue(1000)
@description('Flex Consumption scale-out ceiling. Graph throttles per tenant and per app, not per instance: more instances do not buy more Graph budget.')
param maximumInstanceCount int = 40

// Settings that were added by hand and lost on the next `azd provision` now come from parameters
// too: the sender domain and its quota, the webhook (a Key Vault reference, never the URL), the
// dashboard link and the periodic reads (docs/deploy.md, "Your own sender domain" and "Day two").

@description('EMAIL_CUSTOM_DOMAIN: the MSP\'s own domain (e.g. alerts.msp.example) to create in the email service; its DNS records are the output EMAIL_DOMAIN_DNS_RECORDS. Empty: none.')
param emailCustomDomain string = ''

@description('EMAIL_CUSTOM_DOMAIN_VERIFIED: the custom domain\'s DNS records are added and verified: link it and send from it. Until then mail leaves from the Azure-managed domain.')
param emailCustomDomainVerified bool = false

@description('EMAIL_DOMAIN_RESOURCE_ID: resource id of an existing, verified email domain (Microsoft.Communication/emailServices/domains, same data location) to send from instead. Empty: none.')
param emailDomainResourceId string = ''

@description('EMAIL_SENDER_USERNAME: the sender\'s user name on the custom or existing domain (the Azure-managed domain always sends as DoNotReply).')
param emailSenderUsername string = 'DoNotReply'

@minValue(0)
@maxValue(2000000)
@description('ALERT_EMAILS_PER_MINUTE: emails Communication Services accepts a minute; 0: the sending domain\'s default (emailQuotaDefaults).')
param alertEmailsPerMinute int = 0

@minValue(0)
@maxValue(2000000)
@description('ALERT_EMAILS_PER_HOUR: emails Communication Services accepts an hour; 0: the sending domain\'s default.')
param alertEmailsPerHour int = 0

@description('ALERT_WEBHOOK_SECRET_NAME: name of the Key Vault secret holding the Teams or Slack webhook URL; ALERT_WEBHOOK_URL becomes a reference to it. Empty: no webhook.')
param alertWebhookSecretName string = ''

@allowed([
  ''
  'teams'
  'slack'
  'lifecycle'
])
@description('ALERT_WEBHOOK_FORMAT: teams or slack; lifecycle for finding events (docs/alerts.md); empty: from the URL\'s host.')
param alertWebhookFormat string = ''

@description('DASHBOARD_URL: the dashboard\'s address in emails; empty: https://<the app\'s host name>/api/dashboard/ when the dashboard is deployed, none otherwise.')
param dashboardUrl string = ''

@minValue(1)
@maxValue(168)
@description('REGISTRATION_REPORT_HOURS: how often each tenant\'s MFA registration report is read.')
param registrationReportHours int = 24

@minValue(1)
@maxValue(168)
@description('SIGNIN_CONTEXT_HOURS: how often each tenant\'s sign-in contexts are read.')
param signInContextHours int = 24

@minValue(1)
@maxValue(30)
@description('SIGNIN_CONTEXT_DAYS: sign-in contexts not seen for this long are dropped.')
param signInContextDays int = 14

@minValue(0)
@maxValue(365)
@description('PASSWORD_EXPIRY_WARN_DAYS: days before a password expires that a warning is raised.')
param passwordExpiryWarnDays int = 14

@minValue(0)
@maxValue(365)
@description('MANAGED_POLICY_WARN_DAYS: days before a Microsoft-managed policy turns on that a warning is raised.')
param managedPolicyWarnDays int = 14

@minValue(0)
@maxValue(365)
@description('ROLE_END_WARN_DAYS: days before a time-bound Global Administrator assignment ends that a warning is raised.')
param roleEndWarnDays int = 14

// The PSA the tickets channel opens tickets in (docs/tickets.md): one per deployment, its kind
// choosing which PSA_<VENDOR>_* settings these parameters fill; the others stay empty (off).

@allowed([
  ''
  'connectwise'
  'autotask'
  'halo'
])
@description('PSA_KIND: the PSA tickets are opened in (connectwise, autotask or halo); empty: no tickets.')
param psaKind string = ''

@description('PSA_URL: ConnectWise: the API root (https://api-na.myconnectwise.net/v4_6_release/apis/3.0); HaloPSA: the instance (https://msp.halopsa.com); Autotask: the zone\'s API root, empty to look it up.')
param psaUrl string = ''

@description('PSA_COMPANY: ConnectWise: the company id you sign in with.')
param psaCompany string = ''

@description('PSA_PUBLIC_KEY: ConnectWise: the API member\'s public key.')
param psaPublicKey string = ''

@description('PSA_USERNAME: Autotask: the API-only user\'s user name.')
param psaUserName string = ''

@description('PSA_CLIENT_ID: ConnectWise: the integration\'s clientId; HaloPSA: the API application\'s client ID.')
param psaClientId string = ''

@description('PSA_INTEGRATION_CODE: Autotask: the API user\'s tracking identifier (ApiIntegrationCode).')
param psaIntegrationCode string = ''

@description('PSA_HALO_TENANT: HaloPSA hosted by Halo: the tenant named on the token request; empty otherwise.')
param psaHaloTenant string = ''

@description('PSA_QUEUE_ID: ConnectWise: the service board id; Autotask: the queue id tickets open in.')
param psaQueueId string = ''

@description('PSA_OPEN_STATUS_ID: the status a reopened ticket gets; empty: the code\'s default (required for ConnectWise).')
param psaOpenStatusId string = ''

@description('PSA_CLOSED_STATUS_ID: the status resolution closes with; empty: the code\'s default (required for ConnectWise).')
param psaClosedStatusId string = ''

@description('PSA_PRIORITIES: now=<id>,soon=<id>,notice=<id>, the PSA\'s priority per severity; empty: the code\'s defaults.')
param psaPriorities string = ''

@description('PSA_HALO_NOTE_OUTCOME_ID: the HaloPSA action outcome notes are written with; empty: 7, Halo\'s built-in Internal Note.')
param psaHaloNoteOutcomeId string = ''

@description('REMEDIATION_CLIENT_ID: the second app registration that makes approved fixes (docs/remediation.md); empty: remediation off, no Fix button.')
param remediationClientId string = ''

@description('REMEDIATION_SECRET_NAME: the Key Vault secret holding the remediation app\'s client secret; the operator stores it.')
param remediationSecretName string = 'remediation-secret'

@description('REMEDIATION_REQUIRE_APPROVAL: a fix needs a second person\'s approval before it runs (four-eyes).')
param remediationRequireApproval bool = true

@description('REMEDIATION_APPROVAL_HOURS: how long a fix request waits for its approval before it expires.')
@minValue(1)
@maxValue(168)
param remediationApprovalHours int = 24

@description('PSA_SECRET_NAME: the Key Vault secret holding the PSA\'s secret (ConnectWise private key, Autotask secret, HaloPSA client secret); the operator stores it.')
param psaSecretName string = 'psa-secret'

@allowed([
  'reopen'
  'new'
])
@description('PSA_ON_CLOSED: a ticket a person closed while the drift stands is reopened, or a new one opened.')
param psaOnClosed string = 'reopen'

// Communication Services' default sending limits per subscription, by the sending domain's kind
// ("Service limits for Azure Communication Services", Email, Rate limits:
// https://learn.microsoft.com/azure/communication-services/concepts/service-limits#rate-limits-for-email);
// the same figures as lib/config/alert-settings.ts, held equal by test/infra.
var emailQuotaDefaults = {
  AzureManaged: {
    perMinute: 5
    perHour: 10
  }
  CustomerManaged: {
    perMinute: 30
    perHour: 100
  }
}

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
// azd finds the environment's resources by azd-env-name, so the parameter cannot override it.
var resourceTags = union(tags, {
  'azd-env-name': environmentName
})
var appName = 'func-${resourceToken}'
var allowedIps = filter(map(split(allowedIpAddresses, ','), ip => trim(ip)), ip => !empty(ip))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: resourceTags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: resourceTags
  }
}

// Only with restrictNetworkAccess: the subnet the app integrates with, admitted by storage and Key Vault.
module network 'modules/network.bicep' = if (restrictNetworkAccess) {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: resourceTags
  }
}

var appSubnetId = restrictNetworkAccess ? network!.outputs.appSubnetId : ''

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: resourceTags
    deploymentContainerName: 'app-package-${take(appName, 32)}'
    restrictNetworkAccess: restrictNetworkAccess
    allowedIpAddresses: allowedIps
    appSubnetId: appSubnetId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: resourceTags
  }
}

// Alerts on the app's own telemetry, to the operator by email/SMS from Azure Monitor: a path that
// does not depend on Communication Services (docs/monitoring.md).
module monitoringAlerts 'modules/monitoring-alerts.bicep' = {
  name: 'monitoring-alerts'
  scope: rg
  params: {
    namePrefix: 'alert-${resourceToken}'
    location: location
    tags: resourceTags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    alertEmail: alertEmail
    alertSmsCountryCode: alertSmsCountryCode
    alertSmsNumber: alertSmsNumber
    alertWebhookUrl: monitorAlertWebhookUrl
    missedScheduleWindow: missedScheduleWindow
  }
}

// The estate's health at a glance, from the same telemetry (docs/monitoring.md#the-workbook).
module workbook 'modules/monitoring-workbook.bicep' = {
  name: 'monitoring-workbook'
  scope: rg
  params: {
    location: location
    tags: resourceTags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    displayName: 'Drift Monitor estate health (${environmentName})'
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    emailServiceName: 'ecs-${resourceToken}'
    communicationServiceName: 'acs-${resourceToken}'
    dataLocation: emailDataLocation
    senderDisplayName: senderDisplayName
    tags: resourceTags
    customDomainName: emailCustomDomain
    customDomainVerified: emailCustomDomainVerified
    existingDomainId: emailDomainResourceId
    senderUsername: emailSenderUsername
  }
}

// The vault's name comes from the identity's principal id, which is new whenever the environment
// is created again (`azd down` deletes the identity with the resource group) and the same on every
// re-provision: a soft-deleted vault of an earlier deployment never blocks the name.
module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${uniqueString(resourceToken, identity.outputs.principalId)}'
    location: location
    tags: resourceTags
    enablePurgeProtection: keyVaultEnablePurgeProtection
    restrictNetworkAccess: restrictNetworkAccess
    allowedIpAddresses: allowedIps
    appSubnetId: appSubnetId
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    communicationServiceName: communication.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
    grantOperatorDataAccess: grantDeployerDataAccess
  }
}

// Exactly the settings the code reads (lib/config: loadSettings, loadStoreSettings,
// loadAlertSettings, loadAppSettings; the %NAME% bindings in functions/), with the code's
// defaults, plus the Functions host's own identity-based storage and telemetry settings. Every one
// comes from a parameter or from what the template creates, so a second `azd provision` writes
// the same object; the settings the template must never set are listed in docs/deploy.md.
// test/infra renders this object from the compiled template and holds it against
// lib/config/names.ts. No secret: nothing here would let anyone in.
// The PSA's secret is read from the vault with the identity, like the webhook URL: App Service
// puts the secret in place of the reference, and one it cannot resolve fails the tickets channel alone.
var remediationSecret = empty(remediationClientId) || empty(remediationSecretName) ? '' : '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${remediationSecretName})'
var psaSecret = empty(psaSecretName) ? '' : '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${psaSecretName})'
var psaOn = {
  connectwise: psaKind == 'connectwise'
  autotask: psaKind == 'autotask'
  halo: psaKind == 'halo'
}
var sendingDomainKind = communication.outputs.senderDomainManagement == 'AzureManaged' ? 'AzureManaged' : 'CustomerManaged'
var appSettings = {
  // Functions host: storage through the identity (AzureWebJobsStorage__accountName and
  // __clientId are read by the store as well), telemetry through the identity.
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // Graph: app-only tokens of the multi-tenant app, its assertion the identity's token.
  GRAPH_AUTH_MODE: 'federated'
  AZURE_CLIENT_ID: graphAppClientId
  MANAGED_IDENTITY_CLIENT_ID: identity.outputs.clientId
  GRAPH_ENDPOINT: graphEndpoint
  AZURE_AUTHORITY_HOST: azureAuthorityHost
  SIGNIN_LOOKBACK_HOURS: string(signInLookbackHours)
  DEFAULT_PROFILE: defaultProfile
  REGISTRATION_REPORT_HOURS: string(registrationReportHours)
  SIGNIN_CONTEXT_HOURS: string(signInContextHours)
  SIGNIN_CONTEXT_DAYS: string(signInContextDays)
  PASSWORD_EXPIRY_WARN_DAYS: string(passwordExpiryWarnDays)
  MANAGED_POLICY_WARN_DAYS: string(managedPolicyWarnDays)
  ROLE_END_WARN_DAYS: string(roleEndWarnDays)
  // Monitoring
  REMINDER_HOURS: string(reminderHours)
  UNKNOWN_ALERT_AFTER: string(unknownAlertAfter)
  SNAPSHOT_RETENTION_DAYS: string(snapshotRetentionDays)
  // Alerts: ACS through the identity (no connection string), from the sending domain's sender,
  // paced to that domain's quota.
  ACS_ENDPOINT: communication.outputs.endpoint
  ALERT_FROM: communication.outputs.senderAddress
  ALERT_TO: alertTo
  ALERT_MAX_ATTEMPTS: string(alertMaxAttempts)
  ALERT_EMAILS_PER_MINUTE: string(alertEmailsPerMinute > 0 ? alertEmailsPerMinute : emailQuotaDefaults[sendingDomainKind].perMinute)
  ALERT_EMAILS_PER_HOUR: string(alertEmailsPerHour > 0 ? alertEmailsPerHour : emailQuotaDefaults[sendingDomainKind].perHour)
  // The webhook URL's path is its token: the app reads it from the vault with its identity (Key
  // Vault Secrets User, keyVaultReferenceIdentity); the operator stores and rotates the secret.
  ALERT_WEBHOOK_URL: empty(alertWebhookSecretName) ? '' : '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${alertWebhookSecretName})'
  ALERT_WEBHOOK_FORMAT: empty(alertWebhookSecretName) ? '' : alertWebhookFormat
  DASHBOARD_URL: !empty(dashboardUrl) ? dashboardUrl : empty(dashboardClientId) ? '' : 'https://${functionApp.outputs.defaultHostName}/api/dashboard/'
  // Functions app: the scheduler's per-tenant lease.
  CHECK_LEASE_MINUTES: string(checkLeaseMinutes)
  // Dashboard: only people of this tenant, signed in by App Service authentication (dashboard-auth.bicep)
  // to this app registration (the ID tokens' audience), with the identity as its client credential.
  DASHBOARD_TENANT_ID: empty(dashboardClientId) ? '' : subscription().tenantId
  DASHBOARD_CLIENT_ID: dashboardClientId
  OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: empty(dashboardClientId) ? '' : identity.outputs.clientId
  // Tickets: the PSA of psaKind (its secret a Key Vault reference), the others empty.
  PSA_CONNECTWISE_URL: psaOn.connectwise ? psaUrl : ''
  PSA_CONNECTWISE_COMPANY: psaOn.connectwise ? psaCompany : ''
  PSA_CONNECTWISE_PUBLIC_KEY: psaOn.connectwise ? psaPublicKey : ''
  PSA_CONNECTWISE_PRIVATE_KEY: psaOn.connectwise ? psaSecret : ''
  PSA_CONNECTWISE_CLIENT_ID: psaOn.connectwise ? psaClientId : ''
  PSA_CONNECTWISE_BOARD_ID: psaOn.connectwise ? psaQueueId : ''
  PSA_CONNECTWISE_OPEN_STATUS_ID: psaOn.connectwise ? psaOpenStatusId : ''
  PSA_CONNECTWISE_CLOSED_STATUS_ID: psaOn.connectwise ? psaClosedStatusId : ''
  PSA_CONNECTWISE_PRIORITIES: psaOn.connectwise ? psaPriorities : ''
  PSA_AUTOTASK_USERNAME: psaOn.autotask ? psaUserName : ''
  PSA_AUTOTASK_SECRET: psaOn.autotask ? psaSecret : ''
  PSA_AUTOTASK_INTEGRATION_CODE: psaOn.autotask ? psaIntegrationCode : ''
  PSA_AUTOTASK_ZONE_URL: psaOn.autotask ? psaUrl : ''
  PSA_AUTOTASK_QUEUE_ID: psaOn.autotask ? psaQueueId : ''
  PSA_AUTOTASK_OPEN_STATUS_ID: psaOn.autotask ? psaOpenStatusId : ''
  PSA_AUTOTASK_CLOSED_STATUS_ID: psaOn.autotask ? psaClosedStatusId : ''
  PSA_AUTOTASK_PRIORITIES: psaOn.autotask ? psaPriorities : ''
  PSA_HALO_URL: psaOn.halo ? psaUrl : ''
  PSA_HALO_TENANT: psaOn.halo ? psaHaloTenant : ''
  PSA_HALO_CLIENT_ID: psaOn.halo ? psaClientId : ''
  PSA_HALO_CLIENT_SECRET: psaOn.halo ? psaSecret : ''
  PSA_HALO_OPEN_STATUS_ID: psaOn.halo ? psaOpenStatusId : ''
  PSA_HALO_CLOSED_STATUS_ID: psaOn.halo ? psaClosedStatusId : ''
  PSA_HALO_PRIORITIES: psaOn.halo ? psaPriorities : ''
  PSA_HALO_NOTE_OUTCOME_ID: psaOn.halo ? psaHaloNoteOutcomeId : ''
  PSA_ON_CLOSED: psaOnClosed
  REMEDIATION_CLIENT_ID: remediationClientId
  REMEDIATION_CLIENT_SECRET: remediationSecret
  REMEDIATION_TIMEOUT_SECONDS: '30'
  REMEDIATION_VERIFY_SECONDS: '60'
  REMEDIATION_REQUIRE_APPROVAL: string(remediationRequireApproval)
  REMEDIATION_APPROVAL_HOURS: string(remediationApprovalHours)
  // Timer bindings (%DRIFT_SCHEDULE%, %DIGEST_SCHEDULE%): the host has no default for them.
  DRIFT_SCHEDULE: driftSchedule
  DIGEST_SCHEDULE: digestSchedule
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    planName: 'plan-${resourceToken}'
    appName: appName
    location: location
    tags: resourceTags
    identityId: identity.outputs.id
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: 2048
    appSubnetId: appSubnetId
  }
  // The identity must hold its storage roles before the host starts, or its first start fails.
  dependsOn: [
    roles
  ]
}

// After the app: DASHBOARD_URL is its host name.
module functionAppSettings 'modules/app-settings.bicep' = {
  name: 'app-settings'
  scope: rg
  params: {
    appName: functionApp.outputs.name
    appSettings: appSettings
  }
}

// Resource logs of the app, storage and Key Vault to Log Analytics; the optional delete lock.
module audit 'modules/audit.bicep' = {
  name: 'audit'
  scope: rg
  params: {
    workspaceId: monitoring.outputs.logAnalyticsId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    functionAppName: functionApp.outputs.name
    lockStorage: storageDeleteLock
  }
}

module dashboardAuth 'modules/dashboard-auth.bicep' = if (!empty(dashboardClientId)) {
  name: 'dashboard-auth'
  scope: rg
  params: {
    appName: functionApp.outputs.name
    clientId: dashboardClientId
    tenantId: subscription().tenantId
    loginEndpoint: environment().authentication.loginEndpoint
  }
}

// azd stores these in the environment (.azure/<env>/.env); docs/deploy.md uses them for the
// federated credential and the doctor.
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output FEDERATED_CREDENTIAL_ISSUER string = '${azureAuthorityHost}/${subscription().tenantId}/v2.0'
output ACS_ENDPOINT string = communication.outputs.endpoint
output ALERT_FROM string = communication.outputs.senderAddress
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output DASHBOARD_URL string = appSettings.DASHBOARD_URL
output EMAIL_SERVICE_NAME string = communication.outputs.emailServiceName
output EMAIL_CUSTOM_DOMAIN_NAME string = communication.outputs.customDomainName
@description('The DNS records to add at the custom domain\'s DNS host: Domain (TXT), SPF (TXT), DKIM and DKIM2 (CNAME), DMARC (TXT); each type, name, value, ttl.')
output EMAIL_DOMAIN_DNS_RECORDS object = communication.outputs.customDomainDnsRecords
output EMAIL_SENDING_DOMAIN_KIND string = sendingDomainKind

