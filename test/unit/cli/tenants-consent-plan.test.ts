import { describe, expect, it } from "vitest";
import { canGrantGraphRoles, planConsent } from "../../../cli/tenants-consent/plan.js";
import { GRAPH_APP_ROLE_IDS, type GraphPermission } from "../../../lib/graph/app-roles.js";

const id = (p: GraphPermission) => GRAPH_APP_ROLE_IDS[p];
const REQUIRED: GraphPermission[] = ["User.Read.All", "Domain.Read.All", "Application.Read.All"];

describe("planConsent", () => {
  const cases: { name: string; exists: boolean; held: string[]; create: boolean; assign: GraphPermission[] }[] = [
    { name: "no principal: create it, assign everything", exists: false, held: [], create: true, assign: REQUIRED },
    { name: "principal, nothing held: assign everything", exists: true, held: [], create: false, assign: REQUIRED },
    { name: "half done: only the rest", exists: true, held: [id("User.Read.All")], create: false, assign: ["Domain.Read.All", "Application.Read.All"] },
    { name: "all held: nothing", exists: true, held: REQUIRED.map(id), create: false, assign: [] },
    { name: "ids compared case-insensitively", exists: true, held: REQUIRED.map((p) => id(p).toUpperCase()), create: false, assign: [] },
    {
      name: "unknown and unrelated roles ignored",
      exists: true,
      held: ["00000000-0000-0000-0000-000000000001", id("AuditLog.Read.All")],
      create: false,
      assign: REQUIRED,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planConsent(REQUIRED, c.exists, c.held);
      expect(plan.createPrincipal).toBe(c.create);
      expect(plan.assign.map((a) => a.permission)).toEqual(c.assign);
      for (const a of plan.assign) expect(a.appRoleId).toBe(id(a.permission));
    });
  }
});

describe("canGrantGraphRoles", () => {
  const cases: [string, string[], boolean][] = [
    ["Global Administrator", ["62e90394-69f5-4237-9190-012177145e10"], true],
    ["Privileged Role Administrator", ["E8611AB8-C189-46E8-94E1-60213AB1F814"], true],
    ["Cloud Application Administrator only", ["158c047a-c907-4556-b7ef-446551a6b5f7"], false],
    ["nothing", [], false],
  ];
  for (const [name, roles, want] of cases) it(name, () => expect(canGrantGraphRoles(roles)).toBe(want));
});
