import { describe, expect, it } from "vitest";
import { SharedTokenCredential } from "../../../lib/graph/credentials.js";

describe("SharedTokenCredential", () => {
  it("shares one token request between concurrent callers and renews before expiry", async () => {
    let calls = 0;
    let now = 0;
    const inner = {
      getToken: async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 5));
        return { token: `t${calls}`, expiresOnTimestamp: now + 60 * 60 * 1000 };
      },
    };
    const shared = new SharedTokenCredential(inner, () => now);
    const [a, b] = await Promise.all([shared.getToken("s"), shared.getToken("s")]);
    expect([a?.token, b?.token, calls]).toEqual(["t1", "t1", 1]);
    now += 50 * 60 * 1000;
    expect((await shared.getToken("s"))?.token).toBe("t1");
    now += 6 * 60 * 1000; // within the 5-minute margin of expiry
    expect((await shared.getToken("s"))?.token).toBe("t2");
  });
});
