// Who did what, kept in the Log Analytics workspace: resource logs (diagnostic settings) of the
// function app, the storage account's blob, table and queue services, and the Key Vault, whose
// AuditEvent log records every access to the secrets that can read customers' directories. And,
// optionally, a CanNotDelete lock on the storage account that holds the tenant registry.
//
// Volume is chosen per service (docs/monitoring.md#audit-logs): tables log reads too (who read the
// tenant registry and its state), blobs and queues only writes and deletes (category group
// `audit`), because their reads are the Functions host's own polling and leases, many a minute.
param workspaceId string
param storageAccountName string
param keyVaultName string
param functionAppName string

@description('A CanNotDelete lock on the storage account: it cannot be deleted, nor its resource group, until the lock is removed.')
param lockStorage bool

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobs 'blobServices' existing = {
    name: 'default'
  }

  resource tables 'tableServices' existing = {
    name: 'default'
  }

  resource queues 'queueServices' existing = {
    name: 'default'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The account itself has no logs, only metrics: its transactions (what the bench prices).
resource storageDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::tables
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::blobs
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::queues
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

// FunctionAppLogs (the host's and the functions' own logs, the same lines Application
// Insights gets, unsampled) and whatever else the app offers, e.g. sign-in logs of App Service
// authentication.
resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource storageLock 'Microsoft.Authorization/locks@2020-05-01' = if (lockStorage) {
  name: 'tenant-registry-do-not-delete'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    // A deployment never deletes: turning the parameter off leaves the lock; `az lock delete` removes it.
    notes: 'Holds the tenant registry and every tenant\'s state (tables Tenants and Monitor). Delete this lock (az lock delete, docs/monitoring.md#delete-lock) before azd down.'
  }
}
