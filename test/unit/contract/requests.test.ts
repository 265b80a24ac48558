import { describe, expect, it } from "vitest";
import { boundOperation, descendants, memberOf, parseCsdl } from "../../../scripts/contract/csdl.js";
import { filterPaths, orderByPaths } from "../../../scripts/contract/odata-expr.js";
import { checkQuery, parseUrl, resolvePath } from "../../../scripts/contract/requests.js";
import { FIXTURE_CSDL } from "./csdl-fixture.js";

const model = parseCsdl(FIXTURE_CSDL);
const ID = "3f6c1a2b-0000-4000-8000-00000000abcd";

describe("parseCsdl", () => {
  it("resolves aliases, base types, containers and bound operations", () => {
    expect(model.entitySets.get("teams")).toBe("example.dir.team");
    expect(model.singletons.get("hq")).toBe("example.dir.root");
    expect(memberOf(model, "example.dir.person", "id")).toMatchObject({ kind: "property", on: "example.dir.thing" });
    expect(memberOf(model, "example.dir.person", "teams")).toMatchObject({ kind: "navigation", ref: { type: "example.dir.team", collection: true } });
    expect(descendants(model, "example.dir.member").sort()).toEqual(["example.dir.person", "example.dir.team", "example.extra.robot"]);
    expect(boundOperation(model, { type: "example.dir.root", collection: false }, "promote")?.returns).toEqual({
      type: "example.dir.person",
      collection: true,
    });
    expect(model.enums.get("example.dir.perks")?.flags).toBe(true);
  });

  it("refuses a document that is not CSDL", () => {
    expect(() => parseCsdl("<html><body>no</body></html>")).toThrow(/no edmx:Edmx/);
  });
});

describe("resolvePath", () => {
  const cases: Array<{ url: string; type?: string; collection?: boolean; problem?: RegExp }> = [
    { url: "/people", type: "example.dir.person", collection: true },
    { url: `/people/${ID}`, type: "example.dir.person", collection: false },
    { url: "/people('o%27%27neil%40example.com')", type: "example.dir.person", collection: false },
    { url: `/people/${ID}/teams`, type: "example.dir.team", collection: true },
    { url: `/people/${ID}/teams/${ID}/lead/address`, type: "example.dir.address", collection: false },
    { url: `/people/${ID}/memberOf/example.dir.team`, type: "example.dir.team", collection: true },
    { url: `/people/${ID}/memberOf/example.extra.robot`, type: "example.extra.robot", collection: true },
    { url: `/people/${ID}/settings`, type: "example.dir.settings", collection: false },
    { url: `/people/${ID}/countTeams()`, type: "Edm.Int32", collection: false },
    { url: "/hq/people", type: "example.dir.person", collection: true },
    { url: "/people/$count", type: undefined, collection: undefined },
    { url: "/person", problem: /'person' is not an entity set or singleton/ },
    { url: "/hq('x')", problem: /'hq' is not an entity set or singleton/ },
    {
      url: `/people/${ID}/authentication/requirements`,
      problem: /'authentication' is not a property, navigation property, function or action of example\.dir\.person/,
    },
    { url: `/people/${ID}/memberOf/example.dir.settings`, problem: /cast 'example\.dir\.settings' does not derive from example\.dir\.member/ },
    { url: "/hq/persons", problem: /'persons' is not a property/ },
    { url: `/people/${ID}/$bogus`, problem: /'\$bogus' is not a system segment/ },
  ];
  it.each(cases)("$url", ({ url, type, collection, problem }) => {
    const r = resolvePath(model, parseUrl(url).segments);
    if (problem) {
      expect(r.ok).toBe(false);
      expect(r.ok ? "" : r.problem).toMatch(problem);
    } else {
      expect(r).toMatchObject({ ok: true, ref: type ? { type, collection } : undefined });
    }
  });
});

describe("filterPaths and orderByPaths", () => {
  const cases: Array<{ expr: string; paths: string[] }> = [
    { expr: "age ge 30 and active eq true", paths: ["age", "active"] },
    { expr: "address/city eq 'O''Neil (x)'", paths: ["address/city"] },
    { expr: "badges/any(b: b/name eq 'x' or b/name eq 'y') and createdDateTime ge 2026-01-01T00:00:00Z", paths: ["badges", "badges/name", "createdDateTime"] },
    { expr: "tags/any(t: t eq 'a')", paths: ["tags"] },
    { expr: `startswith(label, 'a') and id eq ${ID}`, paths: ["label", "id"] },
    { expr: "(age eq 1 or (age eq 2))", paths: ["age"] },
  ];
  it.each(cases)("$expr", ({ expr, paths }) => {
    expect(filterPaths(expr).map((p) => p.join("/"))).toEqual(paths);
  });

  it("reads $orderby items with their directions", () => {
    expect(orderByPaths("age desc, address/city").map((p) => p.join("/"))).toEqual(["age", "address/city"]);
  });

  it("refuses an unbalanced expression", () => {
    expect(() => filterPaths("age eq 1)")).toThrow(/unbalanced/);
    expect(() => filterPaths("label eq 'open")).toThrow(/unterminated/);
  });
});

describe("checkQuery", () => {
  const people = { type: "example.dir.person", collection: true };
  const members = { type: "example.dir.member", collection: true };
  const cases: Array<{ name: string; ref: typeof people; query: string; problems: RegExp[] }> = [
    { name: "good $select", ref: people, query: "$select=id,label,age,address", problems: [] },
    {
      name: "$select of an undefined property",
      ref: people,
      query: "$select=id,agee",
      problems: [/\$select: 'agee' is not a property of example\.dir\.person/],
    },
    { name: "$select of a derived type's property on a polymorphic collection", ref: members, query: "$select=id,size,model", problems: [] },
    {
      name: "good $filter through a complex type and a lambda",
      ref: people,
      query: "$filter=address/geo/lat gt 1 and badges/any(b: b/name eq 'x')",
      problems: [],
    },
    { name: "$filter on an undefined property", ref: people, query: "$filter=status/errorCode eq 50076", problems: [/\$filter: 'status' is not a property/] },
    {
      name: "$filter inside a lambda on an undefined property",
      ref: people,
      query: "$filter=badges/any(b: b/colour eq 'x')",
      problems: [/'colour' is not a property of example\.dir\.badge/],
    },
    {
      name: "$filter on a derived type's property needs the cast",
      ref: members,
      query: "$filter=size gt 3",
      problems: [/'size' is not a property of example\.dir\.member/],
    },
    { name: "$filter with the cast", ref: members, query: "$filter=example.dir.team/size gt 3", problems: [] },
    { name: "$orderby on an undefined property", ref: people, query: "$orderby=createdDateTime desc", problems: [/\$orderby: 'createdDateTime'/] },
    { name: "$expand of a navigation property with nested options", ref: people, query: "$expand=teams($select=size;$top=2)", problems: [] },
    { name: "$expand of a structural property", ref: people, query: "$expand=address", problems: [/'address' is a property/] },
    { name: "$expand with a bad nested $select", ref: people, query: "$expand=teams($select=colour)", problems: [/'colour' is not a property/] },
    { name: "paging options name nothing", ref: people, query: "$top=999&$skiptoken=abc&$count=true", problems: [] },
    { name: "an unknown option", ref: people, query: "$selct=id", problems: [/unknown query option '\$selct'/] },
  ];
  it.each(cases)("$name", ({ ref, query, problems }) => {
    const r = checkQuery(model, ref, parseUrl(`/x?${query}`).query);
    expect(r.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(r.problems[i]).toMatch(p));
  });

  it("names each property as the type that defines it", () => {
    expect(checkQuery(model, people, parseUrl("/x?$select=id,age").query).named).toEqual(["example.dir.thing.id", "example.dir.person.age"]);
  });
});
