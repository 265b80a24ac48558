/**
 * The estate-health workbook (infra/workbook/estate-health.json, deployed by
 * infra/modules/monitoring-workbook.bicep) and the sampling that keeps its data whole: every query
 * reads a table host.json never samples, looks only for texts the code writes, and parses the
 * lines the code really writes (built here from the same templates, through the same loggers).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { InvocationContext } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { deliveryLogger } from "../../functions/handlers/delivery-log.js";
import { ROOT, bicepFiles, objectAfter, sourceFiles, stripComments } from "./bicep-text.js";

const files = bicepFiles();
const main = stripComments(files.get("infra/main.bicep") ?? "");
const module = stripComments(files.get("infra/modules/monitoring-workbook.bicep") ?? "");
const alerts = files.get("infra/modules/monitoring-alerts.bicep") ?? "";
const functionsSource = sourceFiles("functions");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

const workbookSchema = z.object({
  version: z.literal("Notebook/1.0"),
  fallbackResourceIds: z.array(z.string()),
  items: z.array(
    z.object({
      type: z.number(),
      name: z.string(),
      content: z.object({ query: z.string().optional(), title: z.string().optional(), resourceType: z.string().optional() }).loose(),
    }),
  ),
});
const workbook = workbookSchema.parse(JSON.parse(read("infra/workbook/estate-health.json")));
const queries = new Map(workbook.items.filter((i) => i.type === 3).map((i) => [i.name, i.content.query ?? ""]));
const query = (name: string): string => {
  const q = queries.get(name);
  if (q === undefined) throw new Error(`No query ${name} in the workbook`);
  return q;
};

/** The Application Insights table each query (or alert rule) reads: its first line. */
const tableOf = (kql: string): string => kql.trimStart().split("\n")[0]!.trim();
/** Application Insights tables by the telemetry type host.json's excludedTypes names. */
const TELEMETRY_TYPE: Record<string, string> = {
  requests: "Request",
  traces: "Trace",
  customEvents: "Event",
  dependencies: "Dependency",
  exceptions: "Exception",
};

/** KQL `parse message with "lit" Col:type "lit" … [*]` as a regex over the line, for the columns it names. */
function kqlParse(kql: string, line: string): Record<string, string> | undefined {
  const m = /\| parse message with (.+)/.exec(kql);
  if (!m) throw new Error("no parse");
  const tokens = [...m[1]!.matchAll(/"([^"]*)"|(\w+)(?::(\w+))?|(\*)/g)];
  const names: string[] = [];
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A typed column (Sent:long) takes what parses as that type; an untyped one, text up to the next literal.
  const column = (name: string, type: string | undefined): string => (names.push(name), type === "long" || type === "int" ? "(-?\\d+)" : "(.*?)");
  const source = tokens.map((t) => (t[1] !== undefined ? escape(t[1]) : t[4] ? ".*" : column(t[2]!, t[3]))).join("");
  // KQL's parse reads the last column to the end of the line when no literal follows it.
  const found = new RegExp(`^${source.replace(/\(\.\*\?\)$/, "(.*)")}`, "i").exec(line);
  return found ? Object.fromEntries(names.map((n, i) => [n, found[i + 1]!])) : undefined;
}

/** The `case(Outcome startswith "prefix", "Kind", …, "default")` of the checks' outcome, applied in JS. */
function classify(kql: string): (outcome: string) => string {
  const pairs = [...kql.matchAll(/Outcome startswith "([^"]+)", "([^"]+)"/g)].map((m) => [m[1]!, m[2]!] as const);
  const fallback = /,\s*"([^"]+)"\)\n/.exec(kql.slice(kql.indexOf("case(")))?.[1];
  return (o) => pairs.find(([prefix]) => o.toLowerCase().startsWith(prefix.toLowerCase()))?.[1] ?? fallback ?? "";
}

/** checkTenant's log lines as written: its template literals with sample values in. */
function checkTenantLines(status: string): string[] {
  const text = functionsSource.get("functions/handlers/check-tenant.ts") ?? "";
  return [...text.matchAll(/`(checkTenant: tenant \$\{tenantId\}[^`]*)`/g)].map((m) =>
    m[1]!
      .replace("${tenantId}", "11111111-2222-3333-4444-555555555555")
      .replace("${result.status}", status)
      .replace("${result.reason}", "Graph still throttled the policies (429) after the retries")
      .replace(/\$\{[^}]*\}/g, "x"),
  );
}

describe("sampling (host.json)", () => {
  const host = z
    .object({ logging: z.object({ applicationInsights: z.object({ samplingSettings: z.object({ excludedTypes: z.string() }) }) }) })
    .parse(JSON.parse(read("host.json")));
  const excluded = host.logging.applicationInsights.samplingSettings.excludedTypes.split(";");
  const ruleQueries = [...alerts.matchAll(/query: '''\n([\s\S]*?)'''/g)].map((m) => m[1]!);

  it("never samples a table an alert rule or the workbook reads", () => {
    expect(ruleQueries.length).toBeGreaterThanOrEqual(5);
    const tables = new Set([...ruleQueries, ...queries.values()].map(tableOf));
    expect([...tables].sort()).toEqual(["requests", "traces"]);
    for (const table of tables) expect(excluded, table).toContain(TELEMETRY_TYPE[table]);
  });
});

describe("the workbook's module", () => {
  it("is deployed from main.bicep on the Application Insights resource, with the resource id put in for the placeholder", () => {
    const wiring = objectAfter(main, /module workbook 'modules\/monitoring-workbook\.bicep' = \{/);
    expect(wiring).toMatch(/applicationInsightsId: monitoring\.outputs\.applicationInsightsId/);
    expect(wiring).toMatch(/tags: resourceTags/);
    expect(module).toMatch(/resource workbook 'Microsoft\.Insights\/workbooks@2023-06-01'/);
    expect(module).toMatch(/kind: 'shared'/);
    expect(module).toMatch(/sourceId: applicationInsightsId/);
    expect(module).toContain("replace(loadTextContent('../workbook/estate-health.json'), '__APPLICATION_INSIGHTS_ID__', applicationInsightsId)");
    expect(workbook.fallbackResourceIds).toEqual(["__APPLICATION_INSIGHTS_ID__"]);
  });

  it("has the panels of the estate's health, each a log query of Application Insights", () => {
    expect([...queries.keys()].sort()).toEqual([
      "alerts-waiting",
      "checks-per-period",
      "dead-letters",
      "graph-429s",
      "graph-throttling",
      "late-or-unknown",
      "runs-per-period",
    ]);
    for (const item of workbook.items.filter((i) => i.type === 3)) expect(item.content.resourceType, item.name).toBe("microsoft.insights/components");
  });
});

describe("the workbook's queries", () => {
  it("look only for texts the code writes, and name only functions the app registers", () => {
    // A line written as two template literals joined by `+` reads as one.
    const source = [...functionsSource.values(), ...sourceFiles("lib").values()].join("\n").replace(/`\s*\+\s*`/g, "");
    const registered = new Set([...source.matchAll(/app\.\w+\("(\w+)"/g)].map((m) => m[1]!));
    for (const [name, kql] of queries) {
      const searched = [...kql.matchAll(/(?:startswith|contains) "([^"]+)"/g)].map((m) => m[1]!);
      const parsed = [...kql.matchAll(/\| parse message with (.+)/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((l) => l[1]!));
      // "is unknown" is the checked line's `is ${result.status}` with one of the statuses (below).
      const literal = [...searched, ...parsed].filter((t) => t.trim().length > 2 && !/^is (compliant|drifted|unknown)$/.test(t));
      for (const text of literal) expect(source.toLowerCase(), `${name}: ${text}`).toContain(text.toLowerCase());
      for (const fn of [...kql.matchAll(/name (?:==|in) \(?([^)\n]+)/g)].flatMap((m) => [...m[1]!.matchAll(/"(\w+)"/g)].map((f) => f[1]!)))
        expect(registered, `${name}: ${fn}`).toContain(fn);
    }
  });

  it("sort checkTenant's lines into checked, unknown, late, failed and skipped as the handler means them", () => {
    const kql = query("checks-per-period");
    const kindOf = classify(kql);
    const outcome = (line: string): string => kqlParse(kql, line)?.Outcome ?? "";
    const kinds = (status: string): string[] => checkTenantLines(status).map((l) => kindOf(outcome(l)));
    // In check-tenant.ts order: malformed (not a tenant line), failed and retried, checked, late, poisoned, skipped.
    expect(kinds("compliant")).toEqual(["failed, retried", "checked", "late", "unknown (every attempt failed)", "skipped"]);
    expect(kinds("unknown")).toEqual(["failed, retried", "unknown", "late", "unknown (every attempt failed)", "skipped"]);
    expect(query("late-or-unknown")).toContain(kql.split("| summarize")[0]!);
    expect(functionsSource.get("functions/handlers/check-tenant.ts")).toContain("is ${result.status}");
    expect(read("lib/model/report.ts")).toContain('export type TenantStatus = "compliant" | "drifted" | "unknown"');
  });

  it("tell Graph's 429 from a lack of budget in late checks", () => {
    const kql = query("graph-throttling");
    const late = checkTenantLines("compliant").find((l) => / is late /.test(l))!;
    expect(kqlParse(kql, late)?.Outcome).toContain("(429)");
    expect(kql).toContain('iff(Outcome contains "(429)"');
    // lib/graph/errors.ts words every throttled fact so; a budget timeout says "no … budget".
    expect(read("lib/graph/errors.ts")).toContain("(429) after the retries");
    expect(read("lib/graph/app-budget.ts")).toContain("super(`no ${budget} budget within");
  });

  it("count every Graph 429 from the count checkTenant's lines end with", () => {
    const kql = query("graph-429s");
    const source = functionsSource.get("functions/handlers/check-tenant.ts") ?? "";
    expect(source).toContain('return n > 0 ? `; graph 429s ${n}` : "";');
    // Every line of a tenant's check ends with it (the malformed-message line has no tenant).
    expect(source.match(/\$\{graph429s\(\)\}`/g)).toHaveLength(5);
    for (const line of checkTenantLines("compliant")) {
      const withCount = `${line.replace(/x$/, "")}; graph 429s 3`;
      expect(kqlParse(kql, withCount), line).toMatchObject({ TenantId: "11111111-2222-3333-4444-555555555555", Graph429s: "3" });
    }
  });

  it("read the sweep's summary line for alerts sent, waiting and dead-lettered", () => {
    // The line is two template literals joined by `+`; the rest of the second is optional detail.
    const source = functionsSource.get("functions/handlers/deliver-alerts-sweep.ts") ?? "";
    const parts = /`(deliverAlertsSweep: sent \$\{summary\.sent\}[^`]*)`\s*\+\s*`(errors \$\{summary\.errors\})/.exec(source);
    expect(parts).not.toBeNull();
    const values: Record<string, string> = { sent: "4", retrying: "7", deadLettered: "1", skipped: "0", errors: "2" };
    const line = (parts![1]! + parts![2]!).replace(/\$\{summary\.(\w+)\}/g, (_m, k: string) => values[k] ?? "x");
    expect(kqlParse(query("alerts-waiting"), `${line}; stopped early: email throttled`)).toMatchObject({
      Sent: "4",
      Retrying: "7",
      DeadLettered: "1",
      Skipped: "0",
      Errors: "2",
    });
  });

  it("read the delivery logger's dead-letter line", () => {
    const logged: string[] = [];
    const context = { log: () => undefined, warn: () => undefined, error: (m: string) => logged.push(m) } as unknown as InvocationContext;
    deliveryLogger(context)({ kind: "dead-lettered", tenantId: "t1", id: "a1", error: "ACS said 400: bad address" });
    const kql = query("dead-letters");
    expect(logged[0]).toContain(/contains "([^"]+)"/.exec(kql)![1]);
    expect(kqlParse(kql, logged[0]!)).toEqual({ AlertId: "a1", TenantId: "t1", Error: "ACS said 400: bad address" });
  });
});
