/** The per-process domain cache: a list is fresh for a day from when it was read, then read again. */
import { describe, expect, it } from "vitest";
import { DomainCache } from "../../../lib/graph/domain-cache.js";

const list = [{ id: "contoso.com", isDefault: true, passwordValidityPeriodInDays: 90 }];
const at = (iso: string): Date => new Date(iso);

describe("DomainCache", () => {
  it.each([
    ["just read", "2026-01-01T00:00:00Z", true],
    ["23 h 59 min later", "2026-01-01T23:59:00Z", true],
    ["a day later", "2026-01-02T00:00:00Z", false],
    ["a clock that went back", "2025-12-31T23:00:00Z", false],
  ])("%s", (_name, when, fresh) => {
    const cache = new DomainCache();
    cache.put("t1", list, at("2026-01-01T00:00:00Z"));
    expect(cache.get("t1", at(when))).toEqual(fresh ? list : undefined);
    expect(cache.get("t2", at(when))).toBeUndefined();
  });

  it("keeps one entry per tenant, the newest", () => {
    const cache = new DomainCache();
    cache.put("t1", list, at("2026-01-01T00:00:00Z"));
    cache.put("t1", [], at("2026-01-01T12:00:00Z"));
    expect(cache.get("t1", at("2026-01-02T06:00:00Z"))).toEqual([]);
  });
});
