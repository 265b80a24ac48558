/** Why a fix was not sent: each with a code the dashboard and the CLI can act on. Nothing was written when one is thrown. */
import type { JsonObject } from "./plan.js";

type RemediationErrorCode = "StalePlan" | "ReadFailed" | "GraphUnreachable";

export class RemediationError extends Error {
  constructor(
    readonly code: RemediationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "RemediationError";
  }
}

/** The resource changed between the preview and the apply: the approved change would overwrite someone's edit. */
export class StalePlanError extends RemediationError {
  constructor(
    /** The written fields as the preview showed them. */
    readonly expected: JsonObject,
    /** The same fields as they are now. */
    readonly current: JsonObject,
  ) {
    super("StalePlan", "The policy changed since the preview: preview again. Nothing was changed.");
    this.name = "StalePlanError";
  }
}
