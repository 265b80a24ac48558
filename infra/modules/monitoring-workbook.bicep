// An Azure Monitor workbook with the estate's health (infra/workbook/estate-health.json): checks per
// period and their outcomes, tenants late or unknown, alert delivery (waiting, dead-lettered),
// Graph's 429s and the throttling that made checks late. Every query reads the Application
// Insights tables the app writes (requests, traces), which host.json keeps out of sampling;
// test/infra holds each query to the log lines the code writes. Opened from the Application Insights resource
// (Workbooks) or the resource group.
param location string
param tags object

@description('Resource id of the workspace-based Application Insights the function app writes to.')
param applicationInsightsId string

@description('A name the workbook shows; the resource\'s own name is a GUID, as workbooks require.')
param displayName string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, applicationInsightsId, 'estate-health')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsightsId
    serializedData: replace(loadTextContent('../workbook/estate-health.json'), '__APPLICATION_INSIGHTS_ID__', applicationInsightsId)
  }
}

output id string = workbook.id
