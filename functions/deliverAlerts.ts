/** Registers deliverAlerts: one outbox row per alerts message (handler: ./handlers/deliver-alerts.ts). */
import { app } from "@azure/functions";
import { ALERTS_QUEUE } from "./queue/names.js";
import { deliverAlerts } from "./handlers/deliver-alerts.js";

app.storageQueue("deliverAlerts", { queueName: ALERTS_QUEUE, connection: "AzureWebJobsStorage", handler: deliverAlerts });
