/** Registers deliverAlertsSweep: outbox rows due for retry (handler: ./handlers/deliver-alerts-sweep.ts). */
import { app } from "@azure/functions";
import { deliverAlertsSweep, SWEEP_SCHEDULE } from "./handlers/deliver-alerts-sweep.js";

app.timer("deliverAlertsSweep", { schedule: SWEEP_SCHEDULE, handler: deliverAlertsSweep });
