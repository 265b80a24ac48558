/** Registers estateApi: the estate-wide exceptions and audit behind function keys (handler: ./handlers/api.ts). */
import { app } from "@azure/functions";
import { ESTATE_API_ROUTE, estateApi } from "./handlers/api.js";

app.http("estateApi", { methods: ["GET", "POST"], authLevel: "function", route: ESTATE_API_ROUTE, handler: estateApi });
