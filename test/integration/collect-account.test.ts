/** The collector and the connection account: its sign-ins, its UPN in key syntax, a stale cached object id, and round trips per sample tenant. */
import { beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_TENANTS } from "../../sim/testing.js";
import { BELLOWS, CONTOSO, RELECLOUD, TREY, WOODGROVE, collect, failed, idOf, sim, simRoundTrips, useSimulator } from "./collect-helpers.js";

useSimulator();

describe("sign-ins: interactive and non-interactive", () => {
  const FOURTH_COFFEE = "d7f00000-0000-4000-8000-000000000011";

  it("reads a background account's failures, every one of them non-interactive, in the one sign-in request", async () => {
    const { facts, roundTrips } = await collect(FOURTH_COFFEE, { accountObjectId: idOf(FOURTH_COFFEE) });
    expect(failed(facts)).toEqual([]);
    const signIns = facts.signIns.ok ? facts.signIns.value : [];
    // Graph's beta list answers interactive sign-ins only unless asked for the others: these are
    // the account's token refreshes, all non-interactive (sim/estate/tenants/11-fourth-coffee.json).
    expect(signIns.map((s) => [s.errorCode, s.isInteractive])).toEqual([
      [50076, false],
      [53003, false],
    ]);
    expect(roundTrips).toBe(2);
    // Both event types in one request: one slot of the report budget (was two lists, two slots).
    expect(sim.state.counters.byEndpoint.signIns).toBe(1);
  });

  it("only the failures the check reads come back: a busy account's successful refreshes are never paged", async () => {
    const id = idOf(WOODGROVE);
    const tenant = sim.state.tenant(WOODGROVE);
    const saved = tenant.signIns;
    try {
      // 5,000 successful non-interactive sign-ins in the window (5 pages of 1,000 unfiltered), one failure.
      tenant.signIns = Array.from({ length: 5000 }, (_, i) => ({
        id: `ok-${i}`,
        userId: id,
        minutesAgo: 1 + (i % 600),
        isInteractive: false,
        signInEventTypes: ["nonInteractiveUser"],
        status: { errorCode: 0 },
      }));
      tenant.signIns.push({
        id: "bad",
        userId: id,
        minutesAgo: 5,
        isInteractive: false,
        signInEventTypes: ["nonInteractiveUser"],
        status: { errorCode: 53003, failureReason: "Blocked by Conditional Access" },
      });
      const { facts } = await collect(WOODGROVE, { accountObjectId: id });
      expect(facts.signIns.ok && facts.signIns.value.map((s) => s.id)).toEqual(["bad"]);
      expect(sim.state.counters.byEndpoint.signIns).toBe(1);
    } finally {
      tenant.signIns = saved;
    }
  });
});

describe("the account's UPN in key syntax", () => {
  const DOLLAR = "$svc@contoso.com";
  beforeAll(() => {
    // A UPN that starts with `$`: Graph refuses `/users/$svc@…` (a system segment), not `/users('$svc@…')`.
    const t = sim.state.tenant(CONTOSO);
    const account = t.users.find((u) => u.userPrincipalName === "o'neil@contoso.com");
    if (!account) throw new Error("no o'neil");
    const id = "d7f11300-0000-4000-8000-0000000000d0";
    t.users.push({ ...account, id, userPrincipalName: DOLLAR, displayName: "Dollar service" });
    for (const members of Object.values(t.groupMembers)) if (members.includes(account.id)) members.push(id);
    for (const a of [...t.roleAssignments]) if (a.principalId === account.id) t.roleAssignments.push({ ...a, id: `${String(a.id)}-dollar`, principalId: id });
  });

  it.each([DOLLAR, "o'neil@contoso.com"])("%s: looked up by UPN, then through every request with the UPN in place of the id", async (upn) => {
    const first = await collect(CONTOSO, { accountRef: upn });
    expect(failed(first.facts)).toEqual([]);
    expect(first.facts.account.ok && first.facts.account.value?.userPrincipalName).toBe(upn);
    expect(first.roundTrips).toBe(3);
    sim.state.resetCounters();
    const second = await collect(CONTOSO, { accountRef: upn, accountObjectId: upn });
    expect(failed(second.facts)).toEqual([]);
    expect(second.facts.account.ok && second.facts.account.value?.userPrincipalName).toBe(upn);
  });
});

describe("a stale cached object id", () => {
  it("the account re-created under the same UPN: found by UPN in the same run, per-account facts read with the new id", async () => {
    const stale = "d7f1dead-0000-4000-8000-000000000001";
    const { facts, roundTrips } = await collect(WOODGROVE, { accountObjectId: stale });
    expect(failed(facts)).toEqual([]);
    expect(facts.account.ok && facts.account.value?.id).toBe(idOf(WOODGROVE));
    // 2 batches (+ the CA page) with the stale id, GET /users('{upn}'), 2 per-account batches.
    expect(roundTrips).toBe(3 + 1 + 2);
    expect(simRoundTrips(WOODGROVE)).toBe(roundTrips);
  });

  it("the account really gone: the UPN answers 404 too, and the account does not exist", async () => {
    const { facts, roundTrips } = await collect(BELLOWS, { accountObjectId: "d7f1dead-0000-4000-8000-000000000002" });
    expect(facts.account).toEqual({ ok: true, value: null });
    expect(facts.authMethods).toMatchObject({ code: "dependency" });
    expect(roundTrips).toBe(simRoundTrips(BELLOWS));
  });
});

describe("round trips per sample tenant, object id known", () => {
  // Every tenant of the sample estate whose account exists and whose consent stands. Relecloud's
  // ~300 policies page (25 a page in the sim): 2 batches + one batch per further CA page.
  const tenants = SAMPLE_TENANTS.filter((t) => t.tenantId !== TREY && t.tenantId !== BELLOWS);
  it.each(tenants.map((t) => [t.displayName, t.tenantId] as const))("%s", async (_name, tenantId) => {
    const { facts, roundTrips } = await collect(tenantId, { accountObjectId: idOf(tenantId) });
    expect(facts.account.ok).toBe(true);
    expect(roundTrips).toBe(simRoundTrips(tenantId));
    const caPages = Math.max(1, Math.ceil(sim.state.tenant(tenantId).conditionalAccessPolicies.length / 25));
    // Plus one round for the audit log where the account's sessions were revoked after its last sign-in (Southridge).
    const auditRead = facts.sessionRevocation.ok && facts.sessionRevocation.value !== null ? 1 : 0;
    expect(roundTrips).toBe(2 + caPages - 1 + auditRead);
    if (tenantId !== RELECLOUD) expect(roundTrips).toBeLessThanOrEqual(3);
  });
});
