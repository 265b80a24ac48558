/** Registers dashboard: the estate and tenant pages for signed-in operators (handler: ./handlers/dashboard.ts). */
import { app } from "@azure/functions";
import { dashboard, DASHBOARD_ROUTE } from "./handlers/dashboard.js";

// Anonymous at the host: App Service authentication signs people in, the handler checks their role.
app.http("dashboard", { methods: ["GET", "POST"], authLevel: "anonymous", route: DASHBOARD_ROUTE, handler: dashboard });
