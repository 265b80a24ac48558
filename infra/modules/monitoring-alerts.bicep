// "Watch the watcher": Azure Monitor alert rules on the app's own telemetry, so
// that the operator hears of Drift Monitor itself failing by a path that does not go through
// Communication Services (the digest and every tenant alert do). Notifications go to an action
// group with the operator's email and/or SMS, sent by Azure Monitor, and/or a webhook that gets
// Azure Monitor's common alert schema (an on-call tool, a Logic App or a Teams workflow).
//
// The rules are always deployed; the action group only when a contact is given. Without one the
// rules still fire and show under Alerts in the portal (and `az monitor alert`), and adding a
// contact later is `azd env set ALERT_EMAIL …` + `azd provision`; an action group with nobody in
// it would only look like a path. docs/monitoring.md says what each alert means and what to do.
//
// Every query reads the Application Insights resource (scope: its id), in its own table names:
// `requests` (one per function invocation: name = the function's name, success) and `traces`
// (context.log/warn/error of the Node.js worker: message, severityLevel). Neither is ever
// sampled: host.json's samplingSettings exclude both types, so a rule never misses the one row
// it waits for (test/infra holds every table a rule reads to that list). The rules count rows: the
// alerts service appends `| count` itself, so a query that matches nothing counts 0. The log
// texts and function names below are held to the code by test/infra/monitoring-alerts.test.ts.
param namePrefix string
param location string
param tags object

@description('Resource id of the workspace-based Application Insights the function app writes to.')
param applicationInsightsId string

@description('Operator email addresses, comma-separated; empty: no email receiver.')
param alertEmail string

@description('Country calling code of alertSmsNumber, digits only (1 for the US); empty with no SMS.')
param alertSmsCountryCode string

@description('Operator phone number for SMS, digits only, without the country code; empty: no SMS receiver.')
param alertSmsNumber string

@secure()
@description('HTTPS URL that receives every alert as Azure Monitor\'s common alert schema (its path or query often holds a token); empty: no webhook receiver.')
param alertWebhookUrl string

@allowed([
  'PT1H'
  'PT2H'
  'PT3H'
  'PT4H'
  'PT5H'
  'PT6H'
])
@description('Two schedule periods of DRIFT_SCHEDULE (rounded up to whole hours): the window in which no successful scheduleChecks run, or a tenant that stays late, is alerted.')
param missedScheduleWindow string

var emails = filter(map(split(alertEmail, ','), e => trim(e)), e => !empty(e))
var smsNumber = trim(alertSmsNumber)
var hasSms = !empty(smsNumber)
var webhookUrl = trim(alertWebhookUrl)
var hasWebhook = !empty(webhookUrl)
var hasReceivers = !empty(emails) || hasSms || hasWebhook

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = if (hasReceivers) {
  name: '${namePrefix}-operators'
  // Action groups are global resources.
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'driftmon'
    enabled: true
    emailReceivers: [
      for (email, i) in emails: {
        name: 'email-${i}'
        emailAddress: email
        useCommonAlertSchema: true
      }
    ]
    smsReceivers: hasSms
      ? [
          {
            name: 'sms-0'
            countryCode: trim(alertSmsCountryCode)
            phoneNumber: smsNumber
          }
        ]
      : []
    webhookReceivers: hasWebhook
      ? [
          {
            name: 'webhook-0'
            serviceUri: webhookUrl
            useCommonAlertSchema: true
          }
        ]
      : []
  }
}

var actions = {
  actionGroups: hasReceivers ? [operators.id] : []
}

// Each rule: the query, and the row count that fires it. Evaluated every 15 minutes; stateful
// (autoMitigate): it notifies once when it fires and once when it resolves, not on every
// evaluation in between.
var rules = [
  {
    // Any invocation that failed: a check that threw (retried by the host), a scheduleChecks run
    // that could not queue every tenant, a delivery or digest that threw, an HTTP call that
    // failed with 5xx. An HTTP 4xx (a caller without a valid token, an unknown tenant) is the
    // caller's error, not the app's, and is left out. One failure is enough: they are rare, and
    // each one is retried or recorded, so the operator looks once.
    name: 'function-failures'
    displayName: 'Drift Monitor: function invocations failed'
    description: 'A function invocation of Drift Monitor failed in the last 15 minutes (requests with success == false). docs/monitoring.md#function-failures'
    severity: 2
    windowSize: 'PT15M'
    query: '''
requests
| where success == false
| where not(resultCode startswith "4" and strlen(resultCode) == 3)
| project timestamp, name, resultCode, operation_Id
'''
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    // checkTenantPoison runs only for a message in tenant-checks-poison: a check that failed every
    // attempt and could not even be recorded as unknown by checkTenant.
    name: 'tenant-check-poisoned'
    displayName: 'Drift Monitor: a tenant check reached the poison queue'
    description: 'checkTenantPoison ran: a tenant-checks message failed every attempt and was moved to tenant-checks-poison. docs/monitoring.md#tenant-check-poisoned'
    severity: 1
    windowSize: 'PT15M'
    query: '''
requests
| where name == "checkTenantPoison"
| project timestamp, success, operation_Id
'''
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    // functions/handlers/delivery-log.ts: "alert <id> of tenant <id> dead-lettered: <error>"
    // (not the sweep's summary "dead-lettered <n>", which has no colon after the word).
    name: 'alert-dead-lettered'
    displayName: 'Drift Monitor: an alert was dead-lettered'
    description: 'An alert email was given up on after ALERT_MAX_ATTEMPTS delivery attempts. docs/monitoring.md#alert-dead-lettered'
    severity: 1
    windowSize: 'PT15M'
    query: '''
traces
| where message contains " dead-lettered: "
| project timestamp, message, operation_Name
'''
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    // No successful run of the timer in two schedule periods: the app is stopped, cannot start,
    // or every run fails. Zero rows count 0, which fires.
    name: 'schedule-missed'
    displayName: 'Drift Monitor: no successful scheduled run'
    description: 'No successful scheduleChecks run within two DRIFT_SCHEDULE periods: no tenant is being checked. docs/monitoring.md#schedule-missed'
    severity: 1
    windowSize: missedScheduleWindow
    query: '''
requests
| where name == "scheduleChecks" and success == true
| project timestamp, operation_Id
'''
    operator: 'LessThan'
    threshold: 1
  }
  {
    // The product's own "not checked since" (lib/drift/late.ts) goes out by email through ACS.
    // No log line names it (the late line does not list its transitions), so this approximates
    // it from checkTenant's lines: a tenant late at least twice in two periods, with no run
    // recorded for it (checked, or recorded as unknown) in between. One row per such tenant.
    name: 'tenant-not-checked'
    displayName: 'Drift Monitor: a tenant has not been checked for two periods'
    description: 'A tenant check was late (Graph throttling or no Graph budget) at least twice in two DRIFT_SCHEDULE periods, with no recorded check. docs/monitoring.md#tenant-not-checked'
    severity: 2
    windowSize: missedScheduleWindow
    query: '''
traces
| where message startswith "checkTenant: tenant "
| parse message with "checkTenant: tenant " TenantId " " Outcome
| summarize Late = countif(Outcome startswith "is late (carried to the next run"), Recorded = countif((Outcome startswith "is " and not(Outcome startswith "is late ")) or Outcome startswith "recorded as unknown") by TenantId
| where Late >= 2 and Recorded == 0
'''
    operator: 'GreaterThan'
    threshold: 0
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        applicationInsightsId
      ]
      evaluationFrequency: 'PT15M'
      windowSize: rule.windowSize
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: rule.operator
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: actions
    }
  }
]

