/** Registers checkTenant: one tenant's check per tenant-checks message (handler: ./handlers/check-tenant.ts). */
import { app } from "@azure/functions";
import { TENANT_CHECKS_QUEUE } from "./queue/names.js";
import { checkTenant } from "./handlers/check-tenant.js";

app.storageQueue("checkTenant", { queueName: TENANT_CHECKS_QUEUE, connection: "AzureWebJobsStorage", handler: checkTenant });
