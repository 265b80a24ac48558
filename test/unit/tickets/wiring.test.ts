import { describe, expect, it } from "vitest";
import { ticketChannels } from "../../../lib/tickets/wiring.js";

const STORAGE = { kind: "connection-string", connectionString: "UseDevelopmentStorage=true" } as const;
const HALO = { PSA_HALO_URL: "https://msp.halopsa.example", PSA_HALO_CLIENT_ID: "id", PSA_HALO_CLIENT_SECRET: "secret-value-123456" };

describe("the tickets channel the app adds", () => {
  it("is absent when no PSA is configured", () => {
    expect(ticketChannels({}, STORAGE)).toEqual([]);
  });

  it("is the tickets channel when a PSA is", () => {
    expect(ticketChannels(HALO, STORAGE).map((c) => [c.name, c.kind])).toEqual([["tickets", "events"]]);
  });

  it.each([
    ["a PSA setting missing", { PSA_HALO_URL: "https://msp.halopsa.example" }, /PSA_HALO_CLIENT_ID is required/],
    ["PSA_ON_CLOSED unknown", { ...HALO, PSA_ON_CLOSED: "ignore" }, /PSA_ON_CLOSED must be reopen or new/],
  ])("with %s fails each send, retryably, instead of holding the other channels", async (_what, env, message) => {
    const [channel] = ticketChannels(env, STORAGE);
    const outcome = await channel!.send({ rendered: {} as never, from: "a@b", to: [], date: new Date() });
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    if (!outcome.ok) {
      expect(outcome.error).toMatch(message);
      expect(outcome.error).not.toContain("secret-value");
    }
  });
});
