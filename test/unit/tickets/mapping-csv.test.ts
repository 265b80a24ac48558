import { describe, expect, it } from "vitest";
import { parseMappingCsv } from "../../../cli/tickets-csv.js";

const T1 = "0b4c3a1e-1111-4c1d-9a51-6f1e2d3c4b5a";
const T2 = "0b4c3a1e-2222-4c1d-9a51-6f1e2d3c4b5a";

describe("the tenant → PSA company mapping CSV", () => {
  it("reads each row, by company id or name, in any column order", () => {
    const parsed = parseMappingCsv(`PSA,tenantId,companyName,companyId\nhalo,${T1.toUpperCase()},"Contoso, Ltd",\nconnectwise,${T2},,250\n`);
    expect(parsed).toEqual({
      ok: true,
      mappings: [
        { tenantId: T1, psa: "halo", companyName: "Contoso, Ltd" },
        { tenantId: T2, psa: "connectwise", companyId: "250" },
      ],
    });
  });

  it.each([
    ["an unknown PSA", `tenantId,psa,companyId\n${T1},freshdesk,1`, /psa is one of connectwise, autotask, halo/],
    ["no company", `tenantId,psa,companyId\n${T1},halo,`, /companyId or companyName/],
    ["a tenant that is no GUID", `tenantId,psa,companyId\ncontoso,halo,1`, /tenant's id/],
    ["a tenant mapped twice", `tenantId,psa,companyId\n${T1},halo,1\n${T1},autotask,2`, /mapped already on line 2/],
    ["an unknown column", `tenantId,psa,company\n${T1},halo,1`, /unknown: company/],
    ["no psa column", `tenantId,companyId\n${T1},1`, /the header is/],
    ["an empty file", ``, /empty/],
  ])("refuses %s, naming the line", (_what, csv, message) => {
    const parsed = parseMappingCsv(csv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.message).join("\n")).toMatch(message);
  });
});
