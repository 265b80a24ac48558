/** The account's registered authentication methods, normalised so two reads compare exactly. */
import type { RegisteredMethod } from "../model/state.js";

const identity = (m: RegisteredMethod) => `${m.type}:${m.id}`;

export function normaliseMethods(methods: readonly RegisteredMethod[]): RegisteredMethod[] {
  return [...methods]
    .map((m) => ({ id: m.id, type: m.type, label: m.label }))
    .sort((a, b) => (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0));
}

/** Methods are the same when the same (type, id) pairs are registered; a label change is not an event. */
export function compareMethods(
  before: readonly RegisteredMethod[],
  after: readonly RegisteredMethod[],
): { added: RegisteredMethod[]; removed: RegisteredMethod[] } {
  const was = new Set(before.map(identity));
  const is = new Set(after.map(identity));
  return {
    added: after.filter((m) => !was.has(identity(m))),
    removed: before.filter((m) => !is.has(identity(m))),
  };
}

export const methodsFingerprint = (methods: readonly RegisteredMethod[]): string => methods.map(identity).join(",");
