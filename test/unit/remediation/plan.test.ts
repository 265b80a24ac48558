/** The plan's field arithmetic: the body's leaf paths, the resource projected on them, and the comparison the executor makes. */
import { describe, expect, it } from "vitest";
import { fieldsJson, leafPaths, project } from "../../../lib/remediation/plan.js";

describe("remediation plan fields", () => {
  it.each([
    [{ perUserMfaState: "disabled" }, ["perUserMfaState"]],
    [{ conditions: { users: { excludeUsers: ["a"] } } }, ["conditions.users.excludeUsers"]],
    [{ a: { b: 1, c: [{ d: 1 }] }, e: null }, ["a.b", "a.c", "e"]],
  ])("leafPaths(%j) = %j", (body, paths) => {
    expect(leafPaths(body)).toEqual(paths);
  });

  it("projects a resource on the paths; a missing field is null; other fields are left out", () => {
    const policy = { id: "p", conditions: { users: { includeUsers: ["All"], excludeUsers: ["x"] }, applications: {} } };
    expect(project(policy, ["conditions.users.excludeUsers"])).toEqual({ conditions: { users: { excludeUsers: ["x"] } } });
    expect(project(policy, ["conditions.locations.excludeLocations"])).toEqual({ conditions: { locations: { excludeLocations: null } } });
    expect(project({ conditions: null }, ["conditions.users.excludeUsers"])).toEqual({ conditions: { users: { excludeUsers: null } } });
  });

  it.each([
    [{ a: ["x", "y"] }, { a: ["y", "x"] }, true],
    [
      {
        a: [
          { id: "1", t: "user" },
          { id: "2", t: "group" },
        ],
      },
      {
        a: [
          { t: "group", id: "2" },
          { id: "1", t: "user" },
        ],
      },
      true,
    ],
    [{ a: ["x"] }, { a: ["x", "y"] }, false],
    [{ a: null }, { a: [] }, false],
    [{ a: "enforced" }, { a: "disabled" }, false],
  ])("fieldsJson(%j) equals fieldsJson(%j): %s (collections are sets, key order ignored)", (x, y, same) => {
    expect(fieldsJson(x) === fieldsJson(y)).toBe(same);
  });
});
