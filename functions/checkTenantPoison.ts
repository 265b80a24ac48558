/** Registers checkTenantPoison: checks the host gave up on (handler: ./handlers/check-tenant-poison.ts). */
import { app } from "@azure/functions";
import { poisonQueueName, TENANT_CHECKS_QUEUE } from "./queue/names.js";
import { checkTenantPoison } from "./handlers/check-tenant-poison.js";

app.storageQueue("checkTenantPoison", { queueName: poisonQueueName(TENANT_CHECKS_QUEUE), connection: "AzureWebJobsStorage", handler: checkTenantPoison });
