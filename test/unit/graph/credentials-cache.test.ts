import type { AccessToken, TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { CredentialCache, CredentialConfigError, LruMap, SharedTokenCredential, type CredentialFactory } from "../../../lib/graph/credentials.js";
import type { GraphAuthSettings } from "../../../lib/config/settings.js";

const HOUR = 60 * 60 * 1000;
const auth: GraphAuthSettings = { mode: "secret", clientId: "app", clientSecret: "s1", authorityHost: "https://login.microsoftonline.com" };
const tenant = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** A fake inner credential factory: counts what it built and the token requests they made. */
function fakes(clock: { now: number }, delayMs = 0) {
  const built: string[] = [];
  const requests: string[] = [];
  const make: CredentialFactory = (tenantId, a) => {
    built.push(`${tenantId} ${a.clientSecret ?? ""}`);
    return {
      getToken: async (): Promise<AccessToken> => {
        requests.push(tenantId);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        return { token: `${tenantId}#${requests.length}`, expiresOnTimestamp: clock.now + HOUR };
      },
    };
  };
  return { built, requests, make };
}

describe("LruMap", () => {
  it("never holds more than its capacity and drops the least recently used", () => {
    const lru = new LruMap<number, string>(3);
    for (let i = 0; i < 10; i += 1) {
      lru.set(i, String(i));
      expect(lru.size).toBeLessThanOrEqual(3);
    }
    expect([lru.has(7), lru.has(8), lru.has(9), lru.has(6)]).toEqual([true, true, true, false]);
    lru.get(7); // 7 is now the most recent: 8 goes next
    lru.set(10, "10");
    expect([lru.has(7), lru.has(8)]).toEqual([true, false]);
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});

describe("CredentialCache", () => {
  it("the inner-credential LRU never exceeds its cap, however many tenants", async () => {
    const clock = { now: 0 };
    const f = fakes(clock);
    const cache = new CredentialCache(f.make, 4, 1000, () => clock.now);
    for (let i = 0; i < 50; i += 1) {
      await cache.get(tenant(i), auth).getToken("s");
      expect(cache.sizes().inner).toBeLessThanOrEqual(4);
    }
    expect(cache.sizes()).toEqual({ shared: 50, inner: 4 });
    expect(f.requests).toHaveLength(50);
  });

  it("the per-tenant LRU is bounded too", () => {
    const clock = { now: 0 };
    const cache = new CredentialCache(fakes(clock).make, 2, 5, () => clock.now);
    for (let i = 0; i < 20; i += 1) cache.get(tenant(i), auth);
    expect(cache.sizes().shared).toBe(5);
  });

  it("a token is reused after its inner credential was evicted: no second token request while it is valid", async () => {
    const clock = { now: 0 };
    const f = fakes(clock);
    const cache = new CredentialCache(f.make, 2, 1000, () => clock.now);
    const first = await cache.get(tenant(0), auth).getToken("s");
    // Ten other tenants push tenant 0's inner credential out of the LRU.
    for (let i = 1; i <= 10; i += 1) await cache.get(tenant(i), auth).getToken("s");
    expect(f.built.filter((b) => b.startsWith(tenant(0)))).toHaveLength(1);
    clock.now += 30 * 60 * 1000;
    const again = await cache.get(tenant(0), auth).getToken("s");
    expect(again).toBe(first);
    expect(f.requests.filter((t) => t === tenant(0))).toHaveLength(1);
    // Near expiry: the evicted inner credential is rebuilt and asked once.
    clock.now += 26 * 60 * 1000;
    const renewed = await cache.get(tenant(0), auth).getToken("s");
    expect(renewed?.token).not.toBe(first?.token);
    expect(f.built.filter((b) => b.startsWith(tenant(0)))).toHaveLength(2);
    expect(f.requests.filter((t) => t === tenant(0))).toHaveLength(2);
  });

  it("concurrent first requests of one tenant share one token request", async () => {
    const clock = { now: 0 };
    const f = fakes(clock, 5);
    const cache = new CredentialCache(f.make, 2, 1000, () => clock.now);
    const tokens = await Promise.all([
      cache.get(tenant(0), auth).getToken("s"),
      cache.get(tenant(0), auth).getToken("s"),
      cache.get(tenant(0), auth).getToken("s"),
    ]);
    expect(new Set(tokens.map((t) => t?.token)).size).toBe(1);
    expect(f.requests).toEqual([tenant(0)]);
  });

  it("a request in flight survives its inner credential's eviction", async () => {
    const clock = { now: 0 };
    const f = fakes(clock, 5);
    const cache = new CredentialCache(f.make, 1, 1000, () => clock.now);
    const pending = cache.get(tenant(0), auth).getToken("s");
    const others = [1, 2, 3].map((i) => cache.get(tenant(i), auth).getToken("s"));
    const again = cache.get(tenant(0), auth).getToken("s");
    const [a, b] = await Promise.all([pending, again, ...others]);
    expect(b).toBe(a);
    expect(f.requests.filter((t) => t === tenant(0))).toHaveLength(1);
  });

  it("a rotated secret gives a new credential and a new token", async () => {
    const clock = { now: 0 };
    const f = fakes(clock);
    const cache = new CredentialCache(f.make, 4, 1000, () => clock.now);
    const a = cache.get(tenant(0), auth);
    const rotated = cache.get(tenant(0), { ...auth, clientSecret: "s2" });
    expect(rotated).not.toBe(a);
    expect(cache.get(tenant(0).toUpperCase(), auth)).toBe(a);
    await a.getToken("s");
    await rotated.getToken("s");
    expect(f.built).toEqual([`${tenant(0)} s1`, `${tenant(0)} s2`]);
    expect(f.requests).toHaveLength(2);
  });

  it("a missing setting still throws when the credential is asked for", () => {
    const cache = new CredentialCache();
    expect(() => cache.get(tenant(0), { ...auth, clientSecret: undefined })).toThrow(CredentialConfigError);
  });
});

describe("SharedTokenCredential", () => {
  it("asks its factory only on a token miss", async () => {
    let now = 0;
    let made = 0;
    const inner: TokenCredential = { getToken: async () => ({ token: "t", expiresOnTimestamp: now + HOUR }) };
    const shared = new SharedTokenCredential(
      () => {
        made += 1;
        return inner;
      },
      () => now,
    );
    await shared.getToken("s");
    await shared.getToken("s");
    expect(made).toBe(1);
    now += HOUR;
    await shared.getToken("s");
    expect(made).toBe(2);
  });

  it("a failed token request is not cached and not left in flight", async () => {
    let calls = 0;
    const shared = new SharedTokenCredential({
      getToken: async () => {
        calls += 1;
        if (calls === 1) throw new Error("AADSTS7000215");
        return { token: "t", expiresOnTimestamp: Date.now() + HOUR };
      },
    });
    await expect(shared.getToken("s")).rejects.toThrow("AADSTS7000215");
    expect((await shared.getToken("s"))?.token).toBe("t");
  });

  it("a factory that throws rejects the request", async () => {
    const shared = new SharedTokenCredential(() => {
      throw new CredentialConfigError("AZURE_CLIENT_SECRET is not set");
    });
    await expect(shared.getToken("s")).rejects.toThrow(CredentialConfigError);
  });
});
