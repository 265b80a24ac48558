/** Registers sendDigest: the daily estate summary (handler: ./handlers/send-digest.ts). */
import { app } from "@azure/functions";
import { sendDigest } from "./handlers/send-digest.js";

app.timer("sendDigest", { schedule: "%DIGEST_SCHEDULE%", handler: sendDigest });
