/**
 * The end of Microsoft-provided SMS and voice through the runner: the simulator serves the
 * Microsoft-managed registration campaign as Microsoft set it on 2026-09-01 and the account's only
 * MFA method is a phone; the real collector, rules, drift and store (Azurite) mail the early
 * warning once, keep quiet while it stands (leaving the campaign does not end it), and drift on
 * 2027-02-01; with the phone gone it is resolved.
 */
import { describe, expect, it } from "vitest";
import { RETIREMENT_WARNING } from "../../lib/checks/mfa-registration/sms-voice-retirement.js";
import { runTenantCheck, type RunOutcome } from "../../lib/runner/index.js";
import type { Store } from "../../lib/store/index.js";
import type { RunningSimulator } from "../../sim/testing.js";
import type { JsonObject } from "../../sim/types.js";
import type { TestClock } from "./runner-helpers.js";
import { accountIdOf, registered, registeredIn, runnerDeps, transitionLabels as labels, useSimulatorAndStore } from "./runner-helpers.js";

let sim: RunningSimulator;
let store: Store;
let clock: TestClock;

useSimulatorAndStore("Passkey", (s, c, st) => {
  sim = s;
  clock = c;
  store = st;
});

// Compliant but for its warnings (an Authenticator and an enabled campaign), which this test replaces.
const NAME = "Graphic Design";
const check = (o: RunOutcome) => o.report.checks.find((c) => c.id === "mfa-registration");

async function run(): Promise<RunOutcome> {
  return runTenantCheck(await registeredIn(store, NAME), runnerDeps(sim, store, clock));
}

/** Hours from the clock to an instant. */
const hoursUntil = (iso: string) => (Date.parse(iso) - clock.now().getTime()) / 3_600_000;

function campaign(exclude: JsonObject[] = []): JsonObject {
  return {
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: "default",
        excludeTargets: exclude,
        includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "fido2" }],
      },
    },
  };
}

describe("runTenantCheck: Microsoft ends SMS and voice, passkeys by default", () => {
  it("a phone as the only MFA method: one early warning, none again (not even outside the campaign); on 2027-02-01 a drift; phone gone, resolved", async () => {
    const tenant = sim.state.tenant(registered(NAME).tenantId);
    const accountId = accountIdOf(sim, registered(NAME));
    const password = tenant.authenticationMethods[accountId]!.find((m) => m["@odata.type"] === "#microsoft.graph.passwordAuthenticationMethod")!;
    const phone = {
      "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
      id: "3179e48a-750b-4051-897c-87b9720928f7",
      phoneNumber: "+1 2065550199",
      phoneType: "mobile",
      smsSignInState: "notAllowedByPolicy",
    };
    tenant.authenticationMethods[accountId] = [password, phone];
    tenant.authenticationMethodsPolicy = { ...tenant.authenticationMethodsPolicy, ...campaign() };
    clock.advanceHours(hoursUntil("2026-09-15T08:00:00Z"));

    const first = await run();
    expect(check(first)).toMatchObject({ status: "warn", summary: RETIREMENT_WARNING });
    expect(check(first)?.reason).toMatch(
      /Already the Microsoft-managed registration campaign targets the account via all users, nudging it to register a passkey after MFA/,
    );
    expect(first.report.status).toBe("compliant");
    expect(labels(first.transitions)).toEqual(["early-warning:mfa-registration|"]);
    expect(first.alerts[0]?.transitions[0]).toMatchObject({ finding: { summary: RETIREMENT_WARNING } });

    clock.advanceHours(24);
    expect((await run()).transitions).toEqual([]);

    // Out of the campaign: the nudge ends, the date does not (Microsoft gives no opt out), and nothing is mailed again.
    tenant.authenticationMethodsPolicy = { ...tenant.authenticationMethodsPolicy, ...campaign([{ id: accountId, targetType: "user" }]) };
    clock.advanceHours(24);
    const excluded = await run();
    expect(check(excluded)).toMatchObject({ status: "warn", summary: RETIREMENT_WARNING });
    expect(check(excluded)?.reason).toMatch(/excludes the account via the account itself: that ends the nudge, not this/);
    expect(excluded.transitions).toEqual([]);

    clock.advanceHours(hoursUntil("2027-02-01T08:00:00Z"));
    const retired = await run();
    expect(check(retired)?.status).toBe("fail");
    expect(retired.report.status).toBe("drifted");
    expect(labels(retired.transitions)).toEqual(["drift-detected:mfa-registration|"]);

    tenant.authenticationMethods[accountId] = [password];
    clock.advanceHours(1);
    const fixed = await run();
    expect(check(fixed)?.status).toBe("pass");
    // A method removed from a Global Administrator is also a security notice (lib/drift/methods.ts).
    expect(labels(fixed.transitions)).toEqual(["resolved:mfa-registration|", "security-notice"]);
  });

  it("the sample estate's Microsoft-managed campaign (Proseware: Authenticator and a phone) is the nudge, never an early warning", async () => {
    const tenant = await registeredIn(store, "Proseware");
    clock.advanceHours(hoursUntil("2026-09-15T08:00:00Z"));
    const outcome = await runTenantCheck(tenant, runnerDeps(sim, store, clock));
    expect(check(outcome)).toMatchObject({ status: "warn", summary: "2 methods are registered besides the password" });
    expect(check(outcome)?.evidence).toContain(
      "the Microsoft-managed registration campaign targets the account via all users, nudging it to register a passkey after MFA",
    );
    expect(labels(outcome.transitions)).not.toContain("early-warning:mfa-registration|");
  });
});
