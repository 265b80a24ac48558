/** Registers scheduleChecks: the fan-out timer (handler: ./handlers/schedule-checks.ts). */
import { app } from "@azure/functions";
import { scheduleChecks } from "./handlers/schedule-checks.js";

// `%DRIFT_SCHEDULE%` is resolved by the host from the app settings (default in lib/config/names.ts).
app.timer("scheduleChecks", { schedule: "%DRIFT_SCHEDULE%", handler: scheduleChecks });
