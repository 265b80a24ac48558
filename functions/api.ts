/** Registers api and estateApi: the tenants and estate APIs behind function keys (handlers: ./handlers/api.ts). */
import { app } from "@azure/functions";
import { api, API_ROUTE, ESTATE_API_ROUTE, estateApi } from "./handlers/api.js";

app.http("api", { methods: ["GET", "PUT", "DELETE", "POST"], authLevel: "function", route: API_ROUTE, handler: api });
app.http("estateApi", { methods: ["GET", "POST"], authLevel: "function", route: ESTATE_API_ROUTE, handler: estateApi });
