/**
 * The zod pieces and parsing helpers every fact's normaliser shares. Pure; a shape problem is
 * returned (as a short sentence for the fact's reason), never thrown.
 */
import { z } from "zod";
import { describeIssue } from "../schemas.js";

export type Normalised<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

// Objects are loose everywhere: Microsoft adds properties all the time, and only the fields the
// rules rely on are checked.
export const str = z.string();
export const nullableStr = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
export const nullableBool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);
export const stringList = z.array(z.string()).nullish();

export function parse<S extends z.ZodType>(schema: S, data: unknown, where = ""): Normalised<z.output<S>> {
  const r = schema.safeParse(data);
  return r.success ? { ok: true, value: r.data } : { ok: false, problem: `${where}${describeIssue(r.error)}` };
}

/** Parses each entry of a collection; the first bad one is the problem, named by its index. */
export function parseList<S extends z.ZodType>(schema: S, values: readonly unknown[]): Normalised<Array<z.output<S>>> {
  const out: Array<z.output<S>> = [];
  for (const [i, v] of values.entries()) {
    const r = parse(schema, v, `value[${i}].`);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

export function map<T, U>(n: Normalised<T>, f: (t: T) => U): Normalised<U> {
  return n.ok ? { ok: true, value: f(n.value) } : n;
}
