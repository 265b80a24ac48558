/**
 * Recording what the simulator is asked and answers, for the Graph contract check
 * (scripts/graph-contract.ts): each Graph request under /v1.0 or /beta, `$batch` included as sent
 * (its body holds the sub-requests, its answer their responses), one JSON line per exchange.
 * Token requests and the control API are not Graph and are not recorded.
 */
import { appendFileSync } from "node:fs";
import type { JsonValue, SimResponse } from "./types.js";

/** The environment variable that makes every simulator of the process append its exchanges to that file. */
export const RECORD_ENV = "SIM_RECORD_FILE";

export interface RecordedExchange {
  method: string;
  /** Path and query as sent, from the version on: `/v1.0/users/{id}?$select=id`. */
  url: string;
  /** The JSON body of a POST (a `$batch`, What If). */
  body?: JsonValue;
  status: number;
  /** The JSON the simulator answered. */
  response?: JsonValue;
}

export type Recorder = (exchange: RecordedExchange) => void;

/** A recorder appending JSON lines to `file` (synchronously: the order of the lines is the order of the answers). */
export function fileRecorder(file: string): Recorder {
  return (exchange) => appendFileSync(file, `${JSON.stringify(exchange)}\n`);
}

/** The recorder the options or the environment ask for, if any. */
export function recorderFrom(option: Recorder | undefined, env: NodeJS.ProcessEnv): Recorder | undefined {
  if (option) return option;
  const file = env[RECORD_ENV]?.trim();
  return file ? fileRecorder(file) : undefined;
}

/** The exchange of one answered request, or undefined when it is not a Graph request. */
export function exchangeOf(method: string, url: string, body: JsonValue | undefined, response: SimResponse): RecordedExchange | undefined {
  if (!/^\/(v1\.0|beta)\//i.test(url)) return undefined;
  return { method, url, ...(body !== undefined ? { body } : {}), status: response.status, ...(response.body !== undefined ? { response: response.body } : {}) };
}
