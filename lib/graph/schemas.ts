/**
 * zod schemas of the transport: a `$batch` answer and a page of a collection. Each fact's own
 * schema lives in its file under lib/graph/facts/; the Graph client hands back untyped JSON and
 * these, then those, parse it at once, so nothing past them sees `unknown` data.
 */
import { z } from "zod";

/** One answer inside a `$batch` response. The body is JSON, or base64 text for other types. */
export const batchSubResponseSchema = z.looseObject({
  id: z.string(),
  status: z.number().int(),
  headers: z.record(z.string(), z.unknown()).nullish(),
  body: z.unknown().optional(),
});
export type BatchSubResponse = z.infer<typeof batchSubResponseSchema>;

export const batchResponseSchema = z.looseObject({
  responses: z.array(batchSubResponseSchema),
});

/** A page of a collection. */
export const collectionPageSchema = z.looseObject({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().nullish(),
});

/** First issue of a failed parse, as a short sentence for the fact's reason. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unknown problem";
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
  return `${path}: ${issue.message}`;
}
