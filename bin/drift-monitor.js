#!/usr/bin/env node
// Runs the CLI from the compiled build when present, else from source through tsx.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "main.js");
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  await import("tsx/esm");
  await import(pathToFileURL(join(root, "cli", "main.ts")).href);
}
