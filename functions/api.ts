/** Registers api: the tenants API behind function keys (handler: ./handlers/api.ts). */
import { app } from "@azure/functions";
import { api, API_ROUTE } from "./handlers/api.js";

app.http("api", { methods: ["GET", "PUT", "DELETE", "POST"], authLevel: "function", route: API_ROUTE, handler: api });
