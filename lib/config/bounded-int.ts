/** The whole-number setting every loader shares (moved out of settings.ts to keep that file small). */
import { z } from "zod";

/** A whole number from min to max (digits only: "1e20", "NaN", "Infinity" and "1.5" are refused, naming the setting and its range). */
export const boundedInt = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });
