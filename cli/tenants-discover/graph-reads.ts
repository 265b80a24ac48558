/**
 * The Graph reads of discovery, each answer validated with zod at the edge:
 * - the partner's customers, `GET /tenantRelationships/delegatedAdminCustomers`
 *   (https://learn.microsoft.com/en-us/graph/api/tenantrelationship-list-delegatedadmincustomers?view=graph-rest-1.0)
 * - its relationships and their roles, `GET /tenantRelationships/delegatedAdminRelationships`
 *   (https://learn.microsoft.com/en-us/graph/api/tenantrelationship-list-delegatedadminrelationships?view=graph-rest-1.0),
 *   both with DelegatedAdminRelationship.Read.All, `$top` up to 300, paged by `@odata.nextLink`;
 * - in a customer, through GDAP: users by UPN prefix (`startswith(userPrincipalName,…)`,
 *   https://learn.microsoft.com/en-us/graph/api/user-list?view=graph-rest-1.0) and each candidate's
 *   roles (`GET /users/{id}/transitiveMemberOf`: roles held directly or through a group).
 */
import { z } from "zod";
import type { Transport } from "../../lib/graph/transport.js";
import { graphPath, odataString } from "../../lib/graph/odata.js";
import type { Relationship } from "./roles.js";
import type { DirectoryUser } from "./candidates.js";
import type { AccountPattern } from "./account-pattern.js";

const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
/** 300 customers a page at most; an estate of 30,000 is 100 pages: more means a link that loops. */
const MAX_PAGES = 200;

/** A Graph answer that is not a success: the status and Graph's error code, for the report. */
export class GraphReadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GraphReadError";
  }
}

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export function failure(status: number, body: unknown, what: string): GraphReadError {
  const e = errorBody.safeParse(body);
  const code = e.success ? e.data.error.code : `HTTP ${status}`;
  const message = e.success ? e.data.error.message : "";
  return new GraphReadError(status, code, `${what}: ${status} ${code}${message ? ` (${message})` : ""}`);
}

const page = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item), "@odata.nextLink": z.string().url().optional() });

export async function listAll<T extends z.ZodType>(transport: Transport, firstUrl: string, item: T, what: string): Promise<z.infer<T>[]> {
  const out: z.infer<T>[] = [];
  let url: string | undefined = firstUrl;
  for (let n = 0; url !== undefined; n++) {
    if (n >= MAX_PAGES) throw new Error(`${what}: more than ${MAX_PAGES} pages; stopped`);
    const answer = await transport.get("v1.0", url);
    if (answer.status !== 200) throw failure(answer.status, answer.body, what);
    const parsed = page(item).safeParse(answer.body);
    if (!parsed.success) throw new Error(`${what}: unexpected answer (${parsed.error.issues[0]?.message ?? "invalid"})`);
    out.push(...(parsed.data.value as z.infer<T>[]));
    url = parsed.data["@odata.nextLink"];
  }
  return out;
}

const customerSchema = z.object({ tenantId: z.string().uuid(), displayName: z.string() });

export type Customer = z.infer<typeof customerSchema>;

export function listCustomers(partner: Transport): Promise<Customer[]> {
  return listAll(partner, graphPath(["tenantRelationships", "delegatedAdminCustomers"], { $top: 300 }), customerSchema, "delegated admin customers");
}

const relationshipSchema = z.object({
  status: z.string(),
  customer: z.object({ tenantId: z.string() }),
  accessDetails: z.object({ unifiedRoles: z.array(z.object({ roleDefinitionId: z.string() })) }),
});

export async function listRelationships(partner: Transport): Promise<Relationship[]> {
  const rows = await listAll(
    partner,
    graphPath(["tenantRelationships", "delegatedAdminRelationships"], { $top: 300 }),
    relationshipSchema,
    "delegated admin relationships",
  );
  return rows.map((r) => ({
    status: r.status,
    customerTenantId: r.customer.tenantId,
    roleDefinitionIds: r.accessDetails.unifiedRoles.map((u) => u.roleDefinitionId),
  }));
}

const userSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  onPremisesSyncEnabled: z.boolean().nullable().optional(),
  accountEnabled: z.boolean().nullable().optional(),
});
const memberOfSchema = z.object({ "@odata.type": z.string().optional(), roleTemplateId: z.string().nullable().optional() });

/** The customer's users that match the pattern, each with whether it holds Global Administrator. */
export async function readCandidates(customer: Transport, pattern: AccountPattern): Promise<DirectoryUser[]> {
  const users = await listAll(
    customer,
    graphPath(["users"], {
      $filter: `startswith(userPrincipalName,${odataString(pattern.prefix)})`,
      $select: "id,userPrincipalName,onPremisesSyncEnabled,accountEnabled",
      $top: 999,
    }),
    userSchema,
    "users",
  );
  const out: DirectoryUser[] = [];
  // Candidates are few (a pattern names service accounts): one role read each, in turn.
  for (const u of users.filter((x) => pattern.matches(x.userPrincipalName))) {
    const memberOf = await listAll(
      customer,
      graphPath(["users", u.id, "transitiveMemberOf"], { $top: 999 }),
      memberOfSchema,
      `roles of ${u.userPrincipalName}`,
    );
    out.push({
      userPrincipalName: u.userPrincipalName,
      onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
      accountEnabled: u.accountEnabled ?? null,
      isGlobalAdministrator: memberOf.some((m) => m["@odata.type"] === "#microsoft.graph.directoryRole" && m.roleTemplateId === GLOBAL_ADMINISTRATOR),
    });
  }
  return out;
}
