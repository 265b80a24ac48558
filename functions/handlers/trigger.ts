/** Reading what the queue trigger passes besides the message. */
import type { InvocationContext } from "@azure/functions";
import { z } from "zod";

const dequeueCountSchema = z.coerce.number().int().positive();

/**
 * This delivery's dequeueCount (1 on the first), from the trigger metadata. The host sends it as
 * a number; a string is accepted too. Absent (a handler driven in-process without it) = 1.
 */
export function dequeueCountOf(context: InvocationContext): number {
  const raw = context.triggerMetadata?.dequeueCount;
  const parsed = dequeueCountSchema.safeParse(raw);
  return parsed.success ? parsed.data : 1;
}
