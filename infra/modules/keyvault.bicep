// Key Vault in RBAC mode, for what cannot be secretless: a fallback client certificate for the
// app registration, or a webhook URL (its path is a token) referenced from an app setting as
// @Microsoft.KeyVault(SecretUri=...). Nothing is put in it by the template.
//
// Redeploying: a deleted vault stays soft-deleted (90 days) and keeps its name, so a fixed name
// per environment cannot be created again until it is purged, and purge protection forbids the
// purge. main.bicep therefore names the vault after the deployment's identity (new on every
// `azd up` after `azd down`), and purge protection is a parameter, off by default.
param name string
param location string
param tags object
@description('Purge protection: a deleted vault cannot be purged for its 90 days of soft delete. Cannot be turned off once on.')
param enablePurgeProtection bool
@description('Firewall default Deny: only the app\'s subnet (service endpoint) and allowedIpAddresses get in.')
param restrictNetworkAccess bool
param allowedIpAddresses array
@description('The function app\'s integration subnet; empty unless restrictNetworkAccess.')
param appSubnetId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM takes true or null (not false) for a vault that never had purge protection.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: restrictNetworkAccess ? 'Deny' : 'Allow'
      // Microsoft's trusted services only; the app itself comes in through its subnet's service
      // endpoint (its Key Vault references resolve over the integrated network).
      bypass: 'AzureServices'
      ipRules: [for ip in allowedIpAddresses: {
        value: ip
      }]
      virtualNetworkRules: restrictNetworkAccess ? [
        {
          id: appSubnetId
        }
      ] : []
    }
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
