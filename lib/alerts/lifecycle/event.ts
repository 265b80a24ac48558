/**
 * The lifecycle webhook's events (ALERT_WEBHOOK_FORMAT=lifecycle): for each finding of an alert,
 * `opened` when it is detected, `updated` at each reminder and when it fails for something else
 * (a change: another reason, other evidence, other controls), `resolved` when it is fixed (or its
 * check retired), for any system that is not one of the PSAs we speak to natively. Pure: the
 * same alert gives the same events, byte for byte, whenever it is (re)delivered.
 *
 * - `findingKey` names the finding across its whole life: a hash of the tenant id, the account's
 *   stored key (left out for the tenant's first account, whose key is "", so its findings keep the
 *   keys — and PSA ticket markers — they had when a tenant had one account), the check id and the
 *   subject (the CA policy id; empty for other checks) — never the title or summary, which change.
 *   The account's UPN is missing when the account is deleted and changes when it is renamed, so it
 *   is in the event but not in the key; the stored key does not change.
 * - `idempotencyKey` names the event: a hash of the outbox row id and the transition key, so a
 *   redelivered (or requeued) row posts each event with the same key and a receiver folds repeats.
 *
 * Early warnings and security notices are not lifecycle events: nothing resolves them. Everything
 * from the tenant (names, summaries) is a JSON string value only; keys are hex.
 * docs/alerts.md documents the schema; `lifecycleEventSchema` is the same in code.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { SEVERITIES, severityOfTransition } from "../../checks/severity.js";
import type { OutboxAlert, Transition } from "../../model/state.js";
import { ACCOUNT_KINDS } from "../../model/account.js";
import { checkTitle, findingLinks, requirementOf } from "../render/findings.js";

export const LIFECYCLE_SCHEMA = "drift-monitor/finding-lifecycle/1";

const HEX64 = /^[0-9a-f]{64}$/;

export const lifecycleEventSchema = z.object({
  schema: z.literal(LIFECYCLE_SCHEMA),
  event: z.enum(["opened", "updated", "resolved"]),
  /** Why: opened `detected` or `reopened` (after a resolution); updated `reminder` or `changed`; resolved `fixed` or `check-retired`. */
  reason: z.enum(["detected", "reopened", "reminder", "changed", "fixed", "check-retired"]),
  idempotencyKey: z.string().regex(HEX64),
  findingKey: z.string().regex(HEX64),
  severity: z.enum(SEVERITIES),
  tenant: z.object({ id: z.string(), name: z.string() }),
  /** `key` and `kind` are absent in events of alerts written before a tenant had several accounts. */
  account: z.object({
    userPrincipalName: z.string().nullable(),
    key: z.string().optional(),
    kind: z.enum(ACCOUNT_KINDS).optional(),
  }),
  check: z.object({ id: z.string(), name: z.string(), requirement: z.string() }),
  /** The CA policy for a Conditional Access finding; null for other checks. */
  subject: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  summary: z.string(),
  why: z.string().nullable(),
  links: z.array(z.object({ label: z.string(), url: z.url({ protocol: /^https$/ }) })),
  /** When the finding started failing. */
  since: z.iso.datetime(),
  /** When Drift Monitor decided this event (the check run). */
  occurredAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  /** The outbox row the event came from, for support. */
  alertId: z.string(),
});
export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

type FindingTransition = Extract<Transition, { kind: "drift-detected" | "reminder" | "finding-changed" | "resolved" | "check-retired" }>;

const hash = (...parts: string[]): string => createHash("sha256").update(JSON.stringify(parts)).digest("hex");

/** The finding's key for receivers: stable from opened to resolved, whatever its title says. */
export const findingKeyOf = (tenantId: string, checkId: string, subject: string, accountKey = ""): string =>
  accountKey === "" ? hash("finding", tenantId, checkId, subject) : hash("finding", tenantId, `account:${accountKey}`, checkId, subject);

function eventOf(t: FindingTransition): Pick<LifecycleEvent, "event" | "reason"> {
  switch (t.kind) {
    case "drift-detected":
      return { event: "opened", reason: t.previouslyResolvedAt ? "reopened" : "detected" };
    case "reminder":
      return { event: "updated", reason: "reminder" };
    case "finding-changed":
      return { event: "updated", reason: "changed" };
    case "resolved":
      return { event: "resolved", reason: "fixed" };
    case "check-retired":
      return { event: "resolved", reason: "check-retired" };
  }
}

const isFindingTransition = (t: Transition): t is FindingTransition =>
  t.kind === "drift-detected" || t.kind === "reminder" || t.kind === "finding-changed" || t.kind === "resolved" || t.kind === "check-retired";

/** The events of one alert row, in the row's order. */
export function lifecycleEvents(alert: OutboxAlert, options: { readonly dashboardUrl?: string } = {}): LifecycleEvent[] {
  return alert.transitions.filter(isFindingTransition).map((t) => {
    const f = t.finding;
    const links = [...findingLinks(f, alert.tenantId), ...(options.dashboardUrl ? [{ label: "Drift Monitor dashboard", url: options.dashboardUrl }] : [])];
    return lifecycleEventSchema.parse({
      schema: LIFECYCLE_SCHEMA,
      ...eventOf(t),
      idempotencyKey: hash("event", alert.id, t.key),
      findingKey: findingKeyOf(alert.tenantId, f.checkId, f.subject, alert.accountKey ?? ""),
      severity: severityOfTransition(t),
      tenant: { id: alert.tenantId, name: alert.tenantName },
      account: {
        userPrincipalName: alert.accountUserPrincipalName,
        ...(alert.accountKey !== undefined ? { key: alert.accountKey } : {}),
        ...(alert.accountKind ? { kind: alert.accountKind } : {}),
      },
      check: { id: f.checkId, name: checkTitle(f.checkId), requirement: requirementOf(f.checkId) },
      subject: f.subject === "" ? null : { id: f.subject, name: f.subjectName },
      summary: f.summary,
      why: t.kind === "check-retired" ? t.reason : f.reason,
      links: links.filter((l) => l.url.startsWith("https://")),
      since: f.since,
      occurredAt: alert.createdAt,
      resolvedAt: t.kind === "resolved" ? t.resolvedAt : null,
      alertId: alert.id,
    });
  });
}
