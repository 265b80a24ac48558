// Email through Azure Communication Services: an email service with an Azure-managed domain
// (<guid>.azurecomm.net, verified by Azure, no DNS to set up; about 5 emails a minute), its
// DoNotReply sender, and the Communication Services resource it is linked to. Access keys are
// off: the app sends with its managed identity.
param emailServiceName string
param communicationServiceName string
param dataLocation string
param senderDisplayName string
param tags object

resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource domain 'Microsoft.Communication/emailServices/domains@2025-05-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // Alerts carry admin-center links; click tracking would rewrite them.
    userEngagementTracking: 'Disabled'
  }
}

// An Azure-managed domain only sends as DoNotReply; the display name is ours to choose.
resource sender 'Microsoft.Communication/emailServices/domains/senderUsernames@2025-05-01' = {
  parent: domain
  name: 'donotreply'
  properties: {
    username: 'DoNotReply'
    displayName: senderDisplayName
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      domain.id
    ]
    disableLocalAuth: true
  }
}

output name string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output senderAddress string = '${sender.properties.username}@${domain.properties.mailFromSenderDomain}'
