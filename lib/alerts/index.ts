/**
 * Alerts: render outbox rows as email (HTML + text) and chat messages, deliver them once through
 * ACS, `.eml` files or a webhook, and summarise the estate in a daily digest.
 */
export { emlFileName } from "./channels/index.js";
