/**
 * From a fact's answers to the fact, the same way for every fact: the definition's normaliser
 * reads a success, the shared classifiers (errors.ts) read a failure. Pure.
 */
import type { Fact } from "../model/facts.js";
import type { ItemResult } from "./batch.js";
import { classifyHttpFailure, invalidResponse, networkFailure, tokenFailure, type FactFailure } from "./errors.js";
import type { FactDefinition, FactRequestSpec } from "./facts/definition.js";

function failureOf(spec: FactRequestSpec, result: Exclude<ItemResult, { ok: true }>): FactFailure {
  switch (result.kind) {
    case "http":
      return classifyHttpFailure(spec, result.status, result.body);
    case "network":
      return networkFailure(spec, new Error(result.message));
    case "token":
      return tokenFailure(spec, result.message, result.aadsts);
    case "invalid":
      return invalidResponse(spec, result.problem);
  }
}

/**
 * Several answers are one fact (a fact read as several lists): the first failure fails it, else their
 * pages are read as one list, in request order. Undefined while any request got no answer.
 */
export function mergeAnswers(answers: readonly (ItemResult | undefined)[]): ItemResult | undefined {
  if (answers.length === 0 || answers.some((a) => a === undefined)) return undefined;
  const all = answers as readonly ItemResult[];
  const failure = all.find((a) => !a.ok);
  if (failure) return failure;
  if (all.length === 1) return all[0];
  return { ok: true, status: 200, body: undefined, values: all.flatMap((a) => (a.ok ? (a.values ?? []) : [])) };
}

export function factFromResult<T>(definition: FactDefinition<T>, result: ItemResult): Fact<T> {
  if (!result.ok) {
    // Only where the definition says a 404 is an answer (the account does not exist).
    if (result.kind === "http" && result.status === 404 && definition.notFound) return { ok: true, value: definition.notFound.value };
    return failureOf(definition, result);
  }
  const n = definition.paged ? definition.normalise(result.values ?? []) : definition.normalise(result.body);
  return n.ok ? { ok: true, value: n.value } : invalidResponse(definition, n.problem);
}
