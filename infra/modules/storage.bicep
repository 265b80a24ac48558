// One storage account for the Functions host and the product: the deployment package container,
// the two queues and the two tables. Shared-key access is off, so every client (the host, the
// store, the deployment) reaches it with the managed identity: there is no key to leak.
param name string
param location string
param tags object
param deploymentContainerName string
@description('Firewall default Deny: only the app\'s subnet (service endpoint) and allowedIpAddresses get in.')
param restrictNetworkAccess bool
param allowedIpAddresses array
@description('The function app\'s integration subnet; empty unless restrictNetworkAccess.')
param appSubnetId string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Public endpoint on, firewall by parameter: off, anyone with a token may try (shared keys are
    // refused regardless); on, only the app's subnet and the allowed addresses reach the account.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: restrictNetworkAccess ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
      ipRules: [for ip in allowedIpAddresses: {
        value: ip
        action: 'Allow'
      }]
      virtualNetworkRules: restrictNetworkAccess ? [
        {
          id: appSubnetId
          action: 'Allow'
        }
      ] : []
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Flex Consumption deploys from a blob container; the app reads it with its identity.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// One message per tenant per run (the timer fans out, the queue trigger checks). Its poison
// queue, tenant-checks-poison, is created by the Functions host on first use.
resource tenantChecks 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: 'tenant-checks'
}

// New outbox rows to deliver (alerts-poison likewise comes from the host).
resource alerts 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: 'alerts'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tenantsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tables
  name: 'Tenants'
}

resource monitorTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tables
  name: 'Monitor'
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
