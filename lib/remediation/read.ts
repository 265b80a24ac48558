/**
 * A read a fix depends on (the preview's, the executor's before its write): Graph's answer, or a
 * RemediationError the person can act on. No answer at all is GraphUnreachable; an answer other
 * than 200 is ReadFailed, with Graph's body redacted and cut short, as it is shown and stored.
 */
import type { Transport } from "../graph/transport.js";
import { redact } from "../errors/redact.js";
import { errorMessage } from "../errors/text.js";
import type { GraphApiVersion } from "./plan.js";
import { RemediationError } from "./errors.js";

/** `when`: what the read is for ("for the preview"); `suffix`: what the person is told after either failure. */
export async function readOrThrow(transport: Pick<Transport, "get">, version: GraphApiVersion, url: string, when: string, suffix = ""): Promise<unknown> {
  let answer;
  try {
    answer = await transport.get(version, url);
  } catch (error) {
    throw new RemediationError("GraphUnreachable", `Could not read ${url} ${when}: ${errorMessage(error)}${suffix}`);
  }
  if (answer.status !== 200) {
    const detail = redact(JSON.stringify(answer.body ?? "")).slice(0, 500);
    throw new RemediationError("ReadFailed", `Reading ${url} ${when} answered ${answer.status}: ${detail}${suffix}`);
  }
  return answer.body;
}
