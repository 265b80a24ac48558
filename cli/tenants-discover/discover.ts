/**
 * Discovery, the imperative shell: the partner's customers and relationships, then each
 * customer's directory through GDAP, a bounded number at a time, every call with a timeout and
 * throttling (429 with Retry-After) left to the Graph client's retry middleware. One customer
 * failing (403, timeout) is written down for a person; it never stops the others.
 */
import pLimit from "p-limit";
import { createGraphClient } from "../../lib/graph/client.js";
import { graphTransport, type Transport } from "../../lib/graph/transport.js";
import { errorMessage } from "../../lib/errors/text.js";
import { createProgress } from "../progress.js";
import { forTenant, type PartnerSignIn } from "./sign-in.js";
import { listCustomers, listRelationships, readCandidates, type Customer } from "./graph-reads.js";
import { assessRoles, grantedRoleIds, LEAST_READ_ROLE_NAME, type Relationship } from "./roles.js";
import { chooseAccount } from "./candidates.js";
import type { AccountPattern } from "./account-pattern.js";
import type { DiscoveredTenant } from "./csv-rows.js";

interface DiscoverOptions {
  readonly signIn: PartnerSignIn;
  readonly graphEndpoint: string;
  readonly authorityHost: string;
  readonly pattern: AccountPattern;
  readonly concurrency: number;
  /** Per Graph call and per token request. */
  readonly timeoutMs: number;
  readonly progressSink: { write(text: string): void; readonly columns?: number };
}

export function transportFor(o: Pick<DiscoverOptions, "signIn" | "graphEndpoint" | "authorityHost" | "timeoutMs">, tenantId: string | undefined): Transport {
  const scoped = forTenant(o.signIn.credential, tenantId);
  const credential = {
    getToken: (scopes: string | string[], options?: Parameters<typeof scoped.getToken>[1]) =>
      scoped.getToken(scopes, { ...options, abortSignal: options?.abortSignal ?? AbortSignal.timeout(o.timeoutMs) }),
  };
  const client = createGraphClient({
    tenantId: tenantId ?? "partner",
    // The credential is given, so the app's own auth settings are never read: only the authority host is.
    settings: { graphEndpoint: o.graphEndpoint, graphAuth: { mode: "token", authorityHost: o.authorityHost } },
    credential,
  });
  return graphTransport(client, { timeoutMs: o.timeoutMs });
}

async function discoverOne(o: DiscoverOptions, customer: Customer, relationships: readonly Relationship[]): Promise<DiscoveredTenant> {
  const roles = assessRoles(grantedRoleIds(relationships, customer.tenantId));
  const base = { tenantId: customer.tenantId.toLowerCase(), displayName: customer.displayName, roles };
  if (!o.signIn.reachesCustomers) {
    return { ...base, decide: "connection account not looked up: a given token serves the partner tenant only (sign in with device-code or azure-cli)" };
  }
  if (!roles.canRead) {
    return { ...base, decide: `the relationship lacks ${LEAST_READ_ROLE_NAME} (or a role that reads the directory): grant it, or put the account in account` };
  }
  try {
    const choice = chooseAccount(await readCandidates(transportFor(o, customer.tenantId), o.pattern), o.pattern);
    return choice.kind === "chosen" ? { ...base, account: choice.account } : { ...base, decide: choice.reason };
  } catch (error) {
    return { ...base, decide: `could not read the directory (${errorMessage(error)}): run discover again, or put the account in account` };
  }
}

/** Every customer of the partner, sorted by name, each with its roles and account or what to decide. */
export async function discoverEstate(o: DiscoverOptions): Promise<DiscoveredTenant[]> {
  const partner = transportFor(o, undefined);
  const [customers, relationships] = await Promise.all([listCustomers(partner), listRelationships(partner)]);
  const limit = pLimit(o.concurrency);
  const progress = createProgress(customers.length, o.progressSink, "customers");
  const found = await Promise.all(
    customers.map((c) =>
      limit(async () => {
        const t = await discoverOne(o, c, relationships);
        progress.tick(`${t.displayName}: ${t.account ?? "to decide"}`);
        return t;
      }),
    ),
  );
  progress.done();
  return found.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId));
}
