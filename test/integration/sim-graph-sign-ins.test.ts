/** The simulator's sign-in log endpoints over real HTTPS: filters, event types, failure codes, paging and the licence error. */
import { describe, expect, it } from "vitest";
import { sampleTenant } from "../../sim/estate/index.js";
import { getJson } from "./sim-helpers.js";
import type { Obj } from "./sim-graph-helpers.js";
import { all, now, sim, useSimulator } from "./sim-graph-helpers.js";

describe("simulated Graph endpoints", () => {
  useSimulator();

  describe("sign-ins", () => {
    const NON_INTERACTIVE = "signInEventTypes/any(t: t eq 'nonInteractiveUser')";
    const FAILURE_CODES =
      "(status/errorCode eq 50072 or status/errorCode eq 50074 or status/errorCode eq 50076 or status/errorCode eq 50079 or status/errorCode eq 53003)";

    it("filters by user and time relative to the sim's clock, newest first", async () => {
      const t = sampleTenant("Fourth Coffee");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const since = new Date(now.getTime() - 24 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
      const { items } = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`userId eq '${String(user.body.id)}' and createdDateTime ge ${since} and ${NON_INTERACTIVE}`)}`,
      );
      const times = items.map((s) => Date.parse(String(s.createdDateTime)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(since));
      const failures = items.filter((s) => (s.status as Obj).errorCode !== 0);
      expect(failures.map((s) => (s.status as Obj).errorCode)).toEqual([50076, 53003]);
      expect(failures[0]).toMatchObject({
        createdDateTime: "2026-03-10T11:20:00Z",
        isInteractive: false,
        appDisplayName: "Microsoft Azure PowerShell",
        resourceDisplayName: "Microsoft Graph",
        conditionalAccessStatus: "notApplied",
        ipAddress: "20.61.13.77",
        appId: "1950a258-227b-4e31-a9cf-717495945fc2",
      });
      expect(failures[1]).toMatchObject({ conditionalAccessStatus: "failure", status: { failureReason: expect.stringContaining("Conditional Access") } });
      expect(items[0]).not.toHaveProperty("minutesAgo");
    });

    it("beta lists interactive sign-ins only unless the filter names the event types (Graph's documented default)", async () => {
      const t = sampleTenant("Fourth Coffee");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const byUser = `userId eq '${String(user.body.id)}'`;
      // Every sign-in of Fourth Coffee's account is non-interactive (token refreshes).
      expect((await all(t.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(byUser)}`)).items).toEqual([]);
      expect((await all(t.tenantId, "/beta/auditLogs/signIns")).items).toEqual([]);
      const interactive = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${byUser} and signInEventTypes/any(t: t eq 'interactiveUser')`)}`,
      );
      expect(interactive.items).toEqual([]);
      const nonInteractive = await all(t.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${byUser} and ${NON_INTERACTIVE}`)}`);
      expect(nonInteractive.items.length).toBeGreaterThan(3);
      expect(nonInteractive.items.every((s) => s.isInteractive === false)).toBe(true);
      // Both types at once, with `or` inside the lambda: the sign-ins fact's one request (sim-sign-in-event-types.test.ts).
      const both = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${byUser} and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`)}`,
      );
      expect(both.items.length).toBe(nonInteractive.items.length);
      // v1.0's signIn has no signInEventTypes.
      expect((await getJson(sim, t.tenantId, `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(NON_INTERACTIVE)}`)).status).toBe(400);
    });

    it("filters on the failure codes with a parenthesised `or`", async () => {
      const t = sampleTenant("Fourth Coffee");
      const user = await getJson(sim, t.tenantId, `/v1.0/users/${t.account}?$select=id`);
      const filter = `userId eq '${String(user.body.id)}' and ${NON_INTERACTIVE} and ${FAILURE_CODES}`;
      const { items } = await all(t.tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
      expect(items.map((s) => (s.status as Obj).errorCode)).toEqual([50076, 53003, 50076]);
      const none = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${NON_INTERACTIVE} and (status/errorCode eq 50072 or status/errorCode eq 50079)`)}`,
      );
      expect(none.items).toEqual([]);
    });

    it.each([
      ["an unknown event type", "signInEventTypes/any(t: t eq 'everything')"],
      ["a lambda over another collection", "appliedConditionalAccessPolicies/any(p: p eq 'x')"],
      ["a lambda on another variable", "signInEventTypes/any(t: x eq 'nonInteractiveUser')"],
      ["an unclosed parenthesis", "(status/errorCode eq 50076 or status/errorCode eq 53003"],
      ["a quoted error code", "status/errorCode eq '50076'"],
    ])("rejects %s", async (_label, filter) => {
      const res = await getJson(sim, sampleTenant("Fourth Coffee").tenantId, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(400);
    });

    it("pages sign-ins with $top", async () => {
      const t = sampleTenant("Contoso");
      const { items, pages } = await all(
        t.tenantId,
        `/beta/auditLogs/signIns?$filter=${encodeURIComponent(`userPrincipalName eq 'o''neil@contoso.com' and ${NON_INTERACTIVE}`)}&$top=20`,
      );
      expect(items).toHaveLength(48);
      expect(pages).toBe(3);
    });

    it("lists only interactive sign-ins under v1.0", async () => {
      const t = sampleTenant("Fourth Coffee");
      const res = await getJson(sim, t.tenantId, "/v1.0/auditLogs/signIns");
      expect(res.body.value).toEqual([]);
    });

    it("answers the licence error without P1", async () => {
      const res = await getJson(sim, sampleTenant("Lucerne").tenantId, "/beta/auditLogs/signIns?$filter=userId eq 'x'");
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant" });
    });

    it("rejects a filter it does not understand", async () => {
      const res = await getJson(sim, sampleTenant("Contoso").tenantId, "/beta/auditLogs/signIns?$filter=startswith(userId,'x')");
      expect(res.status).toBe(400);
    });
  });
});
