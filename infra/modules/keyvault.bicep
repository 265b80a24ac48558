// Key Vault in RBAC mode, for what cannot be secretless: a fallback client certificate for the
// app registration, or a webhook URL (its path is a token) referenced from an app setting as
// @Microsoft.KeyVault(SecretUri=...). Nothing is put in it by the template.
param name string
param location string
param tags object

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
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
