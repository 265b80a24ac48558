import { describe, expect, it } from "vitest";
import { callsOf, checkCalls, requestTemplate } from "../../../scripts/contract/check.js";
import { parseCsdl } from "../../../scripts/contract/csdl.js";
import { newWalk, walkResponse } from "../../../scripts/contract/responses.js";
import { FIXTURE_CSDL } from "./csdl-fixture.js";

const model = parseCsdl(FIXTURE_CSDL);
const ID = "3f6c1a2b-0000-4000-8000-00000000abcd";
const person = { type: "example.dir.person", collection: false };
const members = { type: "example.dir.member", collection: true };

describe("walkResponse", () => {
  const cases: Array<{ name: string; ref: typeof person; body: unknown; problems: RegExp[] }> = [
    {
      name: "every property defined, annotations exempt",
      ref: person,
      body: {
        "@odata.context": "x",
        id: "1",
        "tags@odata.type": "#Collection(String)",
        tags: ["a"],
        "#example.dir.countTeams": {},
        address: { city: "Oslo", geo: { lat: "INF" } },
        perks: "parking,lunch",
      },
      problems: [],
    },
    {
      name: "a property the type does not define",
      ref: person,
      body: { id: "1", nickname: "x" },
      problems: [/body\.nickname: not a property of example\.dir\.person/],
    },
    {
      name: "nested in a complex type",
      ref: person,
      body: { address: { city: "x", zip: "1" } },
      problems: [/body\.address\.zip: not a property of example\.dir\.address/],
    },
    {
      name: "in a collection of complex values",
      ref: person,
      body: { badges: [{ name: "a" }, { name: "b", level: 2 }] },
      problems: [/body\.badges\[1\]\.level/],
    },
    {
      name: "a derived complex type named by @odata.type",
      ref: person,
      body: { badges: [{ "@odata.type": "#example.dir.goldBadge", name: "a", carats: 9 }] },
      problems: [],
    },
    {
      name: "a derived property without @odata.type",
      ref: person,
      body: { badges: [{ name: "a", carats: 9 }] },
      problems: [/carats: not a property of example\.dir\.badge/],
    },
    {
      name: "@odata.type not derived from the claimed type",
      ref: person,
      body: { address: { "@odata.type": "#example.dir.geo", lat: 1 } },
      problems: [/does not derive from example\.dir\.address/, /address\.lat: not a property of example\.dir\.address/],
    },
    { name: "@odata.type not in the CSDL", ref: person, body: { address: { "@odata.type": "#example.dir.nowhere" } }, problems: [/is not a type of the CSDL/] },
    {
      name: "an enum value that is not a member",
      ref: person,
      body: { favourite: "blue", perks: "parking,gym" },
      problems: [/'blue' is not a member/, /'gym' is not a member/],
    },
    {
      name: "a primitive of the wrong JSON kind",
      ref: person,
      body: { age: "30", active: "yes", tags: "a" },
      problems: [/age: a string where Edm\.Int32/, /active: a string where Edm\.Boolean/, /tags: a string where .* collection/],
    },
    {
      name: "a polymorphic collection typed per element",
      ref: members,
      body: {
        value: [
          { "@odata.type": "#example.dir.team", id: "1", size: 3 },
          { "@odata.type": "#example.extra.robot", id: "2", model: "r2" },
          { id: "3", size: 1 },
        ],
      },
      problems: [/value\[2\]\.size: not a property of example\.dir\.member/],
    },
    { name: "a collection answer without value", ref: members, body: { items: [] }, problems: [/without a 'value' list/] },
  ];
  it.each(cases)("$name", ({ ref, body, problems }) => {
    const out = newWalk();
    walkResponse(model, ref, body as never, out);
    expect(out.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(out.problems[i]).toMatch(p));
  });
});

/** One recorded exchange, as sim/record.ts writes it. */
const line = (e: object): string => JSON.stringify(e);

describe("checkCalls over a recording", () => {
  const recording = [
    line({ method: "GET", url: `/v1.0/people('o''neil')?$select=id,age`, status: 200, response: { id: "1", age: 3 } }),
    line({
      method: "POST",
      url: "/v1.0/$batch",
      body: {
        requests: [
          { id: "a", method: "GET", url: `/people/${ID}/teams?$select=id,size` },
          { id: "b", method: "GET", url: `/people/${ID}?$select=id,shoeSize` },
          { id: "c", method: "GET", url: `/people/${ID}` },
        ],
      },
      status: 200,
      response: {
        responses: [
          { id: "a", status: 200, body: { value: [{ id: "t", size: 2 }] } },
          { id: "b", status: 400, body: { error: { code: "BadRequest" } } },
          { id: "c", status: 200, body: { id: "p", label: "x", mood: "ok" } },
        ],
      },
    }),
    line({
      method: "POST",
      url: "/v1.0/hq/promote",
      body: { personId: "p", badge: { name: "gold" }, reason: "x" },
      status: 200,
      response: { value: [{ id: "p" }] },
    }),
    line({ method: "GET", url: `/v1.0/people/$count?$filter=age gt 3`, status: 200, response: 7 }),
    line({ method: "GET", url: `/beta/people/${ID}/secrets`, status: 200, response: {} }),
    line({ method: "GET", url: `/beta/people/${ID}/teams`, status: 200, response: {} }),
  ].join("\n");

  const calls = callsOf(recording);
  const report = checkCalls(model, calls, new Map([["/people/{id}/teams", "https://example.test/teams"]]));

  it("opens $batch into its sub-requests", () => {
    expect(calls.map((c) => c.batchId ?? "-")).toEqual(["-", "a", "b", "c", "-", "-", "-", "-"]);
    expect(report.sent).toBe(8);
  });

  it("finds the bad $select inside a batch, the undefined answer property, the bad action parameter and the undocumented beta request", () => {
    expect([...report.problems].sort()).toEqual([
      `GET /beta/people/{id}/secrets: a beta request with no documentation page listed`,
      `GET /v1.0/people/{id}: answer body.mood: not a property of example.dir.person`,
      `GET /v1.0/people/{id}?$select=id,shoeSize: $select: 'shoeSize' is not a property of example.dir.person or of a type derived from it`,
      `POST /v1.0/hq/promote: request body.reason: not a parameter of promote`,
    ]);
  });

  it("counts distinct requests, answers walked and properties verified; lists beta with its page", () => {
    expect(report.requests.size).toBe(6);
    expect(report.answers).toBe(4);
    expect([...report.walk.properties].sort()).toEqual([
      "example.dir.badge.name",
      "example.dir.member.label",
      "example.dir.person.age",
      "example.dir.team.size",
      "example.dir.thing.id",
      "promote(badge)",
      "promote(personId)",
    ]);
    expect([...report.beta]).toEqual([
      ["GET /beta/people/{id}/secrets", undefined],
      ["GET /beta/people/{id}/teams", "https://example.test/teams"],
    ]);
  });

  it("blanks literals so the same request from two tenants counts once", () => {
    const a = requestTemplate({ method: "GET", version: "v1.0", url: `/people/${ID}?$filter=label eq 'a' and age ge 2026-01-01T00:00:00.000Z` });
    const b = requestTemplate({ method: "GET", version: "v1.0", url: `/people('x')?$filter=label eq 'b' and age ge 2026-02-01T00:00:00Z` });
    expect(a).toBe(b);
  });

  it("refuses a recording line that is not an exchange", () => {
    expect(() => callsOf(line({ method: "GET", url: "/v2/x", status: 200 }))).toThrow(/line 1: not a Graph URL/);
    expect(() => callsOf(line({ url: "/v1.0/x" }))).toThrow(/line 1/);
  });
});
