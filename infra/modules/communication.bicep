// Email through Azure Communication Services: an email service with an Azure-managed domain
// (<guid>.azurecomm.net, verified by Azure, no DNS to set up; 5 emails a minute), its DoNotReply
// sender, and the Communication Services resource the sending domain is linked to. Access keys
// are off: the app sends with its managed identity.
//
// The MSP's own domain, either:
// - created here (customDomainName): a CustomerManaged domain whose DNS records the deployment
//   outputs; once the operator has added them and Azure has verified them, customDomainVerified
//   links it and mail leaves from it. Azure refuses to link a domain before it is verified
//   ("Connect a verified email domain", https://learn.microsoft.com/azure/communication-services/quickstarts/email/connect-email-communication-resource),
//   so until then the Azure-managed domain keeps sending;
// - or one that already exists and is verified (existingDomainId), in any email service of the
//   same data location.
param emailServiceName string
param communicationServiceName string
param dataLocation string
param senderDisplayName string
param tags object
@description('A domain to create as CustomerManaged (e.g. alerts.msp.example); empty: none.')
param customDomainName string
@description('The custom domain\'s DNS records are verified: link it and send from it.')
param customDomainVerified bool
@description('Resource id of an existing, verified Microsoft.Communication/emailServices/domains to link and send from; empty: none.')
param existingDomainId string
@description('The sender\'s user name on the custom or existing domain (an Azure-managed domain only sends as DoNotReply).')
param senderUsername string

var useExisting = !empty(existingDomainId)
var createCustom = !useExisting && !empty(customDomainName)
var useCustom = createCustom && customDomainVerified
// /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Communication/emailServices/{e}/domains/{d}
var existingParts = split(existingDomainId, '/')

resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = {
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
resource managedSender 'Microsoft.Communication/emailServices/domains/senderUsernames@2025-05-01' = {
  parent: managedDomain
  name: 'donotreply'
  properties: {
    username: 'DoNotReply'
    displayName: senderDisplayName
  }
}

resource customDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = if (createCustom) {
  parent: emailService
  name: createCustom ? customDomainName : 'none'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource customSender 'Microsoft.Communication/emailServices/domains/senderUsernames@2025-05-01' = if (createCustom) {
  parent: customDomain
  name: toLower(senderUsername)
  properties: {
    username: senderUsername
    displayName: senderDisplayName
  }
}

// Read only, wherever it lives; its sender user name must exist there (DoNotReply does by default).
resource existingDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' existing = if (useExisting) {
  scope: resourceGroup(existingParts[2], existingParts[4])
  name: '${existingParts[8]}/${existingParts[10]}'
}

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    // The Azure-managed domain stays linked beside the MSP's, so a switch back is one setting.
    linkedDomains: useExisting ? [managedDomain.id, existingDomainId] : useCustom ? [managedDomain.id, customDomain.id] : [managedDomain.id]
    disableLocalAuth: true
  }
  dependsOn: [
    customSender
  ]
}

output name string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output senderAddress string = useExisting
  ? '${senderUsername}@${existingDomain!.properties.mailFromSenderDomain}'
  : useCustom ? '${customSender!.properties.username}@${customDomain!.properties.mailFromSenderDomain}' : '${managedSender.properties.username}@${managedDomain.properties.mailFromSenderDomain}'
@description('AzureManaged or CustomerManaged (or CustomerManagedInExchangeOnline): the sending domain\'s kind, which sets the default quota.')
output senderDomainManagement string = useExisting ? existingDomain!.properties.domainManagement : useCustom ? 'CustomerManaged' : 'AzureManaged'
@description('The DNS records to add for the custom domain (Domain, SPF, DKIM, DKIM2, DMARC: type, name, value, ttl); empty without one.')
output customDomainDnsRecords object = createCustom ? customDomain!.properties.verificationRecords : {}
output customDomainName string = createCustom ? customDomain.name : ''
output emailServiceName string = emailService.name
