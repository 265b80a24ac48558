/**
 * Clause 3: does the policy cover the client app types the account signs in with? Empty or
 * `all` covers every type; a policy for legacy authentication only never meets a modern client.
 */
import type { CaPolicy } from "../../model/index.js";
import { LEGACY_CLIENT_APP_TYPES } from "../well-known.js";

type ClientCoverage = { readonly applies: true } | { readonly applies: false; readonly why: string };

export function evaluateClientApps(policy: CaPolicy, clientAppTypes: readonly string[]): ClientCoverage {
  const types = (policy.conditions?.clientAppTypes ?? []).filter((t): t is string => typeof t === "string");
  if (types.length === 0 || types.some((t) => t.toLowerCase() === "all")) return { applies: true };
  const ours = new Set(clientAppTypes.map((t) => t.toLowerCase()));
  if (types.some((t) => ours.has(t.toLowerCase()))) return { applies: true };
  const legacyOnly = types.every((t) => LEGACY_CLIENT_APP_TYPES.has(t));
  return {
    applies: false,
    why: legacyOnly ? `it targets only legacy client apps (${types.join(", ")})` : `it targets only client apps ${types.join(", ")}`,
  };
}
