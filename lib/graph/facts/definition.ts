/**
 * What one Graph fact is, as data and two functions: the requests it is read with, and the
 * normaliser that turns Graph's answer into the model's value. The collector, the pacer, the
 * doctor and the poisoned-run path all read these definitions (lib/graph/facts/index.ts), so a
 * fact is described once, in its own file.
 */
import type { Fact, FactKey } from "../../model/facts.js";
import type { GraphPermission } from "../app-roles.js";
import type { GraphBudget } from "../pacing.js";
import type { FactValue, ReadSoFar, ReadWhenDue } from "./due.js";
import type { Normalised } from "./parse.js";

export type GraphVersion = "v1.0" | "beta";

/**
 * The Entra licence an endpoint needs. Reports and sign-ins need Entra ID P1; Privileged Identity
 * Management (role eligibility) needs Entra ID P2, or Microsoft Entra ID Governance, which includes it.
 * Identity Protection (riskyUsers) needs Entra ID P2 itself: ID Governance does not include it
 * ("Using the riskyUsers API requires a Microsoft Entra ID P2 license", learn.microsoft.com/graph/api/riskyuser-get),
 * so a tenant can have one and not the other: they are two licences here.
 */
export type Licence = "Entra ID P1" | "Entra ID P2" | "Entra ID P2 (Identity Protection)";

/** The licence as an operator buys it: what a reason, the doctor and the README name. */
export function licenceNeeded(licence: Licence): string {
  if (licence === "Entra ID P2") return "Entra ID P2 or Microsoft Entra ID Governance";
  return licence === "Entra ID P1" ? "Entra ID P1" : "Entra ID P2";
}

export type { FactValue } from "./due.js";

/** One of every fact, each with its own value type: what the collector returns and the poisoned run fills in. */
export type FactRecord = { readonly [K in FactKey]: Fact<FactValue<K>> };

/** The data of a fact's read that failure reasons and the doctor need (no code). */
export interface FactRequestSpec<K extends FactKey = FactKey> {
  readonly fact: K;
  readonly version: GraphVersion;
  /** Application permission to grant when Graph answers 401/403. */
  readonly permission: GraphPermission;
  /** Follow `@odata.nextLink` and concatenate `value`; the normaliser then gets the list, not the body. */
  readonly paged: boolean;
  /** The licence the endpoint needs, when it needs one; Graph's licence answer then makes the fact `unlicensed`. */
  readonly licence?: Licence;
  /** Needs the account's object id (everything but the account itself). */
  readonly needsObjectId: boolean;
  /** The Graph throttling budget each of its requests draws on, when it is metered (lib/graph/pacing.ts). */
  readonly budget?: GraphBudget;
  /** What it reads, as the doctor lists it ("the Conditional Access policies"). */
  readonly reads: string;
  /** How a failure reason names it ("the account's sign-ins"). */
  readonly subject: string;
}

export interface UrlContext {
  /** The account's object id (or, for `account`, the ref it was registered with). */
  readonly objectId: string;
  /** ISO instant: sign-ins created at or after it are read. */
  readonly signInsSince: string;
  /** ISO instant: the sign-in contexts read start here (SIGNIN_CONTEXT_DAYS back); absent: `signInsSince`. */
  readonly contextsSince?: string;
  /** The facts this run read before this request (a fact read after others builds its URL from them); absent: none yet. */
  readonly read?: ReadSoFar;
  /** The application (client) id the run signs in as: the app reads its own service principal's grants. */
  readonly appId?: string;
}

/** One request a fact is read with: its `$batch` sub-request id and URL relative to the version. */
export interface FactRequest {
  readonly id: string;
  readonly url: string;
}

interface FactReads<T> {
  /**
   * The requests of the fact, first one first (the doctor probes the first only). Several
   * requests are one fact: the first failure fails it, else their pages are concatenated
   * (in this order) before the normaliser sees them.
   */
  requests(ctx: UrlContext): readonly [FactRequest, ...FactRequest[]];
  /** A 404 that is an answer, not a failure: the value it means (the account: `null`, it does not exist). */
  readonly notFound?: { readonly value: T };
  /** Read only when due (lib/graph/facts/due.ts); absent: read on every run. */
  readonly readWhenDue?: ReadWhenDue<T>;
}

/** A paged fact is normalised from every page's `value`; any other from the answer's body. */
type Normaliser<T> =
  { readonly paged: true; normalise(values: readonly unknown[]): Normalised<T> } | { readonly paged: false; normalise(body: unknown): Normalised<T> };

export type FactDefinition<T, K extends FactKey = FactKey> = FactRequestSpec<K> & FactReads<T> & Normaliser<T>;
