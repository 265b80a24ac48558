// The app's one identity: a user-assigned managed identity, so it exists before the app does
// (role assignments and the app registration's federated credential can name it up front) and
// survives a redeploy of the app.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
