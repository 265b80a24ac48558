/**
 * Which of the product's requests a recorded run answered: every fact of lib/graph/facts and the
 * What If evaluation must appear with a successful answer, or the run did not exercise them and
 * the contract check would hold nothing to the CSDL for them.
 */
import { FACTS, FACT_KEYS } from "../../lib/graph/facts/index.js";
import { WHAT_IF } from "../../lib/graph/facts/what-if.js";
import { pathTemplate, type Call } from "./check.js";

/** A request the product makes, as its path template: `GET /v1.0/users/{id}/authentication/methods`. */
interface ProductRequest {
  readonly name: string;
  readonly template: string;
}

const SAMPLE = { objectId: "00000000-0000-4000-8000-000000000000", signInsSince: "2026-01-01T00:00:00Z", appId: "00000000-0000-4000-8000-000000000001" };

/** Every fact's requests and What If, from their definitions. */
export function productRequests(): ProductRequest[] {
  const out: ProductRequest[] = FACT_KEYS.flatMap((key) => {
    const fact = FACTS[key];
    return fact.requests(SAMPLE).map((r) => ({ name: key, template: `GET /${fact.version}${pathTemplate(r.url)}` }));
  });
  out.push({ name: "whatIf", template: `POST /${WHAT_IF.version}${pathTemplate(WHAT_IF.url)}` });
  return out;
}

/** The product's requests that no call of the run answered with a 2xx. */
export function uncovered(requests: readonly ProductRequest[], calls: readonly Call[]): ProductRequest[] {
  const answered = new Set(calls.filter((c) => c.status >= 200 && c.status < 300).map((c) => `${c.method} /${c.version}${pathTemplate(c.url)}`));
  return requests.filter((r) => !answered.has(r.template));
}
