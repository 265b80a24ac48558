export { createApp, setApp, type App, type AppOptions } from "./app.js";
export { CheckLeases } from "../../lib/store/index.js";
