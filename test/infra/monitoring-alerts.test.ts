/**
 * infra/modules/monitoring-alerts.bicep ("watch the watcher"), read as text: each
 * alert rule exists with the query it needs, and what the queries look for is what the code
 * emits — the function names it registers, the log lines it writes. A renamed function or a
 * reworded log line fails here instead of leaving an alert that can never fire.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { deliveryLogger } from "../../functions/handlers/delivery-log.js";
import { ALERTS_QUEUE, poisonQueueName, TENANT_CHECKS_QUEUE } from "../../functions/queue/names.js";
import { schedulePeriodMs } from "../../lib/config/schedule.js";
import { ROOT, allowedValues, bicepFiles, objectAfter, params, sourceFiles, stripComments } from "./bicep-text.js";

const files = bicepFiles();
const module = files.get("infra/modules/monitoring-alerts.bicep") ?? "";
const main = files.get("infra/main.bicep") ?? "";
const code = stripComments(module);
const parameterFile = JSON.parse(readFileSync(join(ROOT, "infra/main.parameters.json"), "utf8")) as { parameters: Record<string, { value: string }> };
const functionsSource = sourceFiles("functions");
const codeSource = new Map([...functionsSource, ...sourceFiles("lib")]);
const read = (path: string): string => functionsSource.get(path) ?? codeSource.get(path) ?? "";

interface Rule {
  name: string;
  severity: number;
  windowSize: string;
  query: string;
  operator: string;
  threshold: number;
}

/** The entries of `var rules = [...]`, each `{ name, …, query: '''…''', operator, threshold }`. */
function rules(): Rule[] {
  const body = objectAfter(code, /var rules\s*=\s*\[/);
  const found: Rule[] = [];
  const re =
    /name: '([\w-]+)'[\s\S]*?severity: (\d+)\s*\n\s*windowSize: (\S+)\s*\n\s*query: '''\n([\s\S]*?)'''\s*\n\s*operator: '(\w+)'\s*\n\s*threshold: (\d+)/g;
  for (const m of body.matchAll(re)) {
    found.push({ name: m[1]!, severity: Number(m[2]), windowSize: m[3]!, query: m[4]!, operator: m[5]!, threshold: Number(m[6]) });
  }
  return found;
}
const byName = new Map(rules().map((r) => [r.name, r]));
const rule = (name: string): Rule => {
  const r = byName.get(name);
  if (!r) throw new Error(`No rule ${name} in infra/modules/monitoring-alerts.bicep`);
  return r;
};

/** The double-quoted string literals of a KQL query. */
const literals = (query: string): string[] => [...query.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);

/** Functions the app registers, by name (functions/*.ts: `app.<trigger>("name", …)`). */
const registered = new Map(
  [...functionsSource].flatMap(([path, text]) => [...text.matchAll(/app\.(\w+)\("(\w+)"/g)].map((m) => [m[2]!, { trigger: m[1]!, path, text }] as const)),
);

/** A log line of check-tenant.ts as it is written: its template literal with sample values in. */
function checkTenantLines(): string[] {
  const text = read("functions/handlers/check-tenant.ts");
  return [...text.matchAll(/`(checkTenant: tenant \$\{tenantId\}[^`]*)`/g)].map((m) =>
    m[1]!.replace("${tenantId}", "11111111-2222-3333-4444-555555555555").replace(/\$\{[^}]*\}/g, "x"),
  );
}

describe("infra/modules/monitoring-alerts.bicep", () => {
  it("is wired from main.bicep with the Application Insights resource as the scope", () => {
    expect(main).toMatch(/module monitoringAlerts 'modules\/monitoring-alerts\.bicep' = \{/);
    const wiring = objectAfter(main, /module monitoringAlerts [^\n]*= \{/);
    expect(wiring).toMatch(/applicationInsightsId: monitoring\.outputs\.applicationInsightsId/);
    expect(files.get("infra/modules/monitoring.bicep")).toMatch(/output applicationInsightsId string = appInsights\.id/);
    expect(code).toMatch(/scopes: \[\s*applicationInsightsId\s*\]/);
  });

  it("declares log search alert rules of a current API version, stateful, evaluated every 15 minutes", () => {
    expect(code).toMatch(/resource alertRules 'Microsoft\.Insights\/scheduledQueryRules@2023-12-01' = \[\s*for rule in rules:/);
    expect(code).toMatch(/kind: 'LogAlert'/);
    expect(code).toMatch(/evaluationFrequency: 'PT15M'/);
    expect(code).toMatch(/autoMitigate: true/);
    expect(code).toMatch(/timeAggregation: 'Count'/);
    expect(code).toMatch(/failingPeriods: \{\s*numberOfEvaluationPeriods: 1\s*minFailingPeriodsToAlert: 1\s*\}/);
    expect(code).toMatch(/actions: actions/);
  });

  it("has the five watch-the-watcher rules, each severity 1 or 2", () => {
    expect([...byName.keys()].sort()).toEqual(["alert-dead-lettered", "function-failures", "schedule-missed", "tenant-check-poisoned", "tenant-not-checked"]);
    for (const r of byName.values()) expect([1, 2], r.name).toContain(r.severity);
  });

  it("leaves counting to the alerts service (it appends `| count`; a count in the query would always be 1)", () => {
    for (const r of byName.values()) expect(r.query, r.name).not.toMatch(/\|\s*count\b/);
  });
});

describe("the action group", () => {
  const group = objectAfter(code, /resource operators 'Microsoft\.Insights\/actionGroups@[^']+' = if \(hasReceivers\) \{/);

  it("reaches the operator by email and SMS from Azure Monitor, not through Communication Services", () => {
    expect(group).toMatch(/location: 'global'/);
    expect(group).toMatch(/emailReceivers: \[\s*for \(email, i\) in emails:/);
    expect(group).toMatch(/emailAddress: email/);
    expect(group).toMatch(/smsReceivers: hasSms/);
    expect(group).toMatch(/phoneNumber: smsNumber/);
    expect(code).not.toMatch(/communication|acs/i);
    expect(code).toMatch(/var hasReceivers = !empty\(emails\) \|\| hasSms/);
    expect(code).toMatch(/actionGroups: hasReceivers \? \[operators\.id\] : \[\]/);
  });

  it("takes its contacts from optional azd variables ALERT_EMAIL, ALERT_SMS_COUNTRY_CODE and ALERT_SMS_NUMBER", () => {
    const mainParams = params(main);
    expect(mainParams.get("alertEmail")).toMatchObject({ type: "string", default: "" });
    expect(mainParams.get("alertSmsNumber")).toMatchObject({ type: "string", default: "" });
    expect(mainParams.get("alertSmsCountryCode")).toMatchObject({ type: "string", default: "1" });
    expect(parameterFile.parameters.alertEmail?.value).toBe("${ALERT_EMAIL=}");
    expect(parameterFile.parameters.alertSmsNumber?.value).toBe("${ALERT_SMS_NUMBER=}");
    expect(parameterFile.parameters.alertSmsCountryCode?.value).toBe("${ALERT_SMS_COUNTRY_CODE=1}");
    const wiring = objectAfter(main, /module monitoringAlerts [^\n]*= \{/);
    for (const p of ["alertEmail", "alertSmsCountryCode", "alertSmsNumber", "missedScheduleWindow"]) expect(wiring).toContain(`${p}: ${p}`);
  });
});

describe("function failures", () => {
  it("counts failed invocations of any function, leaving out HTTP 4xx (the caller's error)", () => {
    const r = rule("function-failures");
    expect(r.query).toMatch(/^requests\n\| where success == false\n/);
    expect(r.query).toMatch(/not\(resultCode startswith "4" and strlen\(resultCode\) == 3\)/);
    expect(r).toMatchObject({ operator: "GreaterThan", threshold: 0, windowSize: "'PT15M'" });
    // The API is the one HTTP function, behind a function key: unauthenticated calls get 401.
    expect(registered.get("api")?.trigger).toBe("http");
  });
});

describe("a tenant check in the poison queue", () => {
  it("fires on any invocation of checkTenantPoison, the function that drains tenant-checks-poison", () => {
    const r = rule("tenant-check-poisoned");
    expect(r.query).toMatch(/^requests\n\| where name == "checkTenantPoison"\n/);
    expect(r).toMatchObject({ operator: "GreaterThan", threshold: 0, severity: 1 });
    const fn = registered.get("checkTenantPoison");
    expect(fn?.trigger).toBe("storageQueue");
    expect(fn?.text).toContain("queueName: poisonQueueName(TENANT_CHECKS_QUEUE)");
    expect(poisonQueueName(TENANT_CHECKS_QUEUE)).toBe("tenant-checks-poison");
  });

  it("leaves alerts-poison to the function-failures rule: no function drains it, and the outbox row is still swept", () => {
    expect(poisonQueueName(ALERTS_QUEUE)).toBe("alerts-poison");
    const drains = [...registered.values()].filter((f) => /poisonQueueName\(ALERTS_QUEUE\)|"alerts-poison"/.test(f.text));
    expect(drains).toEqual([]);
    expect(registered.get("deliverAlertsSweep")?.trigger).toBe("timer");
  });
});

describe("a dead-lettered alert", () => {
  const r = rule("alert-dead-lettered");
  const [fragment] = literals(r.query);

  it("looks for the delivery logger's dead-letter line in traces", () => {
    expect(r.query).toMatch(/^traces\n\| where message contains " dead-lettered: "\n/);
    expect(r).toMatchObject({ operator: "GreaterThan", threshold: 0, severity: 1 });
  });

  it("matches the line the delivery logger writes (as an error), and not the sweep's summary", () => {
    const logged: { level: string; message: string }[] = [];
    const context = {
      log: (m: string) => logged.push({ level: "log", message: m }),
      warn: (m: string) => logged.push({ level: "warn", message: m }),
      error: (m: string) => logged.push({ level: "error", message: m }),
    } as unknown as InvocationContext;
    const log = deliveryLogger(context);
    log({ kind: "dead-lettered", tenantId: "t1", id: "a1", error: "ACS said 400" });
    log({ kind: "failed", tenantId: "t1", id: "a2", channel: "email", error: "busy", retryable: true });
    log({ kind: "sent", tenantId: "t1", id: "a3", channel: "email", detail: "ok" });
    const matching = logged.filter((l) => l.message.toLowerCase().includes(fragment!.toLowerCase()));
    expect(matching).toEqual([{ level: "error", message: "alert a1 of tenant t1 dead-lettered: ACS said 400" }]);
    // deliverAlertsSweep logs "dead-lettered <n>" on every run: no colon after the word.
    const sweep = read("functions/handlers/deliver-alerts-sweep.ts");
    expect(sweep).toContain("dead-lettered ${summary.deadLettered}");
    expect(sweep).not.toContain(fragment!);
  });
});

describe("no successful scheduled run", () => {
  const r = rule("schedule-missed");

  it("fires when no successful scheduleChecks request is in the window (zero rows count 0)", () => {
    expect(r.query).toMatch(/^requests\n\| where name == "scheduleChecks" and success == true\n/);
    expect(r).toMatchObject({ operator: "LessThan", threshold: 1, severity: 1, windowSize: "missedScheduleWindow" });
    const fn = registered.get("scheduleChecks");
    expect(fn?.trigger).toBe("timer");
    expect(fn?.text).toContain('schedule: "%DRIFT_SCHEDULE%"');
  });

  it("waits two DRIFT_SCHEDULE periods by default (MISSED_SCHEDULE_WINDOW)", () => {
    const mainParams = params(main);
    const window = mainParams.get("missedScheduleWindow")?.default;
    expect(window).toBe("PT1H");
    expect(parameterFile.parameters.missedScheduleWindow?.value).toBe("${MISSED_SCHEDULE_WINDOW=PT1H}");
    const hours = Number(/^PT(\d+)H$/.exec(String(window))?.[1]);
    const period = schedulePeriodMs(String(mainParams.get("driftSchedule")?.default));
    expect(hours * 3_600_000).toBeGreaterThanOrEqual(2 * period);
    // The same choices in main.bicep and the module.
    expect(allowedValues(main, "missedScheduleWindow")).toEqual(allowedValues(module, "missedScheduleWindow"));
  });
});

describe("a tenant not checked for two periods", () => {
  const r = rule("tenant-not-checked");
  const strings = literals(r.query);

  it("counts, per tenant, checkTenant's late lines against its recorded ones over two periods", () => {
    expect(r.query).toMatch(/^traces\n\| where message startswith "checkTenant: tenant "\n/);
    expect(r.query).toContain('| parse message with "checkTenant: tenant " TenantId " " Outcome');
    expect(r.query).toMatch(/\| where Late >= 2 and Recorded == 0\n$/);
    expect(r).toMatchObject({ operator: "GreaterThan", threshold: 0, windowSize: "missedScheduleWindow" });
  });

  it("looks only for texts check-tenant.ts writes", () => {
    const source = read("functions/handlers/check-tenant.ts");
    for (const s of strings.filter((s) => s.trim().length > 3)) expect(source, s).toContain(s);
    expect(source).toContain("checkTenant: tenant ${tenantId} is late (carried to the next run");
  });

  it("tells late lines from recorded ones as the query does", () => {
    // The query's own classification, in JS: the parse, then its startswith tests.
    const lines = checkTenantLines();
    const outcome = (line: string): string | undefined => /^checkTenant: tenant (\S+) (.*)$/i.exec(line)?.[2];
    const starts = (s: string, prefix: string): boolean => s.toLowerCase().startsWith(prefix.toLowerCase());
    const [latePrefix] = strings.filter((s) => s.startsWith("is late ("));
    expect(latePrefix).toBe("is late (carried to the next run");
    const isLate = (o: string): boolean => starts(o, latePrefix!);
    const isRecorded = (o: string): boolean => (starts(o, "is ") && !starts(o, "is late ")) || starts(o, "recorded as unknown");
    const classified = lines.map((l) => {
      const o = outcome(l);
      return { l, late: o !== undefined && isLate(o), recorded: o !== undefined && isRecorded(o) };
    });
    expect(classified.filter((c) => c.late).map((c) => c.l)).toEqual([expect.stringContaining("is late (carried to the next run, not unknown)")]);
    expect(classified.filter((c) => c.recorded).map((c) => c.l)).toEqual([
      expect.stringMatching(/ is x/), // checked: "is <status>; <transitions>; alert …"
      expect.stringMatching(/ recorded as unknown: /), // poisoned on the last attempt
    ]);
    // Retried failures and skipped messages are neither.
    expect(lines.filter((l) => / failed \(attempt | skipped: /.test(l))).toHaveLength(2);
  });
});

describe("docs/monitoring.md", () => {
  const docs = readFileSync(join(ROOT, "docs/monitoring.md"), "utf8");

  it("has a section for each rule, which the rule's description links to, with its query as deployed", () => {
    for (const r of byName.values()) {
      expect(docs, r.name).toContain(`\n### ${r.name}\n`);
      expect(code, r.name).toContain(`docs/monitoring.md#${r.name}'`);
      // Each query's lines appear in the docs verbatim, but for the columns it shows (project) and a summarize (wrapped there).
      for (const line of r.query.split("\n").filter((l) => l && !l.includes("summarize") && !l.startsWith("| project")))
        expect(docs, `${r.name}: ${line}`).toContain(line);
    }
  });

  it("is linked from docs/deploy.md and the README", () => {
    expect(readFileSync(join(ROOT, "docs/deploy.md"), "utf8")).toContain("](monitoring.md");
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("](docs/monitoring.md)");
  });
});
