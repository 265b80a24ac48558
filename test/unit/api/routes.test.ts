import { describe, expect, it } from "vitest";
import { matchRoute, ROUTE_METHODS } from "../../../functions/api/routes.js";

describe("matchRoute", () => {
  it.each([
    ["", { name: "tenants" }],
    ["/", { name: "tenants" }],
    ["abc", { name: "tenant", id: "abc" }],
    ["abc/", { name: "tenant", id: "abc" }],
    ["abc/check", { name: "check", id: "abc" }],
    ["a%20b", { name: "tenant", id: "a b" }],
    ["abc/acks", { name: "acks", id: "abc" }],
    ["abc/acks/withdraw", { name: "acks-withdraw", id: "abc" }],
    ["abc/exceptions", { name: "exceptions", id: "abc" }],
    ["abc/exceptions/remove", { name: "exceptions-remove", id: "abc" }],
    ["abc/audit/", { name: "audit", id: "abc" }],
  ])("%j → %j", (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });

  it.each(["abc/history", "abc/check/now", "%E0%A4%A", "abc/tenant", "abc/tenants", "abc/acks/other"])("%j is no route", (path) => {
    expect(matchRoute(path)).toBeUndefined();
  });

  it("names the methods of every route", () => {
    expect(ROUTE_METHODS).toEqual({
      tenants: ["GET"],
      tenant: ["GET", "PUT", "DELETE"],
      check: ["POST"],
      acks: ["POST"],
      "acks-withdraw": ["POST"],
      exceptions: ["GET", "POST"],
      "exceptions-remove": ["POST"],
      audit: ["GET"],
    });
  });
});
