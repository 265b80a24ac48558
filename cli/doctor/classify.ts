/**
 * One probe's answer → granted / missing / unlicensed / error. Pure. The collector's own
 * classifier (classifyHttpFailure) decides what a failure means, so the doctor and the checks
 * never disagree about a 403.
 */
import { classifyHttpFailure } from "../../lib/graph/errors.js";
import type { RawAnswer } from "../../lib/graph/transport.js";
import type { Probe } from "./probes.js";
import type { ProbeResult } from "./types.js";

export type ProbeAnswer =
  { readonly kind: "answer"; readonly answer: Pick<RawAnswer, "status" | "body"> } | { readonly kind: "thrown"; readonly message: string };

function requestLine(probe: Probe): string {
  return `GET /${probe.spec.version}/${probe.url.replace(/^\//, "")}`;
}

export function classifyProbe(probe: Probe, answer: ProbeAnswer): ProbeResult {
  const base = { fact: probe.spec.fact, reads: probe.spec.reads, permission: probe.spec.permission, request: requestLine(probe) };
  if (answer.kind === "thrown") {
    return { ...base, outcome: "error", detail: `The request did not get an answer: ${answer.message}` };
  }
  const { status, body } = answer.answer;
  if (status >= 200 && status < 300) return { ...base, outcome: "granted", httpStatus: status, detail: `Graph answered ${status}` };
  // Graph checks the permission before it looks the id up: a 404 is an authorised request.
  if (status === 404) return { ...base, outcome: "granted", httpStatus: status, detail: "Graph answered 404 for the id (authorised; nothing there)" };
  const failure = classifyHttpFailure(probe.spec, status, body);
  const outcome = failure.code === "forbidden" ? "missing" : failure.code === "unlicensed" ? "unlicensed" : "error";
  return { ...base, outcome, httpStatus: status, detail: failure.reason };
}
