// Only with restrictNetworkAccess (main.bicep): a virtual network whose one subnet the function app
// integrates with (Flex Consumption: delegated to Microsoft.App/environments), with service
// endpoints for Storage and Key Vault, so that their firewalls can admit the app by subnet while
// refusing the internet. Service endpoints rather than private endpoints: no private DNS zones, no
// endpoint per storage service, nothing billed by the hour; the traffic stays on Azure's backbone.
param name string
param location string
param tags object

var subnetName = 'app'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.42.0.0/16'
      ]
    }
    subnets: [
      {
        name: subnetName
        properties: {
          addressPrefix: '10.42.0.0/24'
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          serviceEndpoints: [
            {
              service: 'Microsoft.Storage'
            }
            {
              service: 'Microsoft.KeyVault'
            }
          ]
        }
      }
    ]
  }
}

output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, subnetName)
